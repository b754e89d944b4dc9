package dev.palco.sfu.pipeline;

/** A node that may change the packet in place, or drop it. */
public abstract non-sealed class TransformerNode extends Node {

  protected TransformerNode(String name) {
    super(name);
  }

  /**
   * Transforms the packet in place.
   *
   * @return {@code null} to pass the packet on, or why it must be dropped
   */
  protected abstract DropReason transform(PacketInfo packet);

  @Override
  final void handle(PacketInfo packet) {
    DropReason reason = transform(packet);
    if (reason == null) {
      forward(packet);
    } else {
      drop(packet, reason);
    }
  }
}
