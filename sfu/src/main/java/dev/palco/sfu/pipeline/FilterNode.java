package dev.palco.sfu.pipeline;

/** A node that lets a packet through unchanged or drops it, always for the same reason. */
public abstract non-sealed class FilterNode extends Node {
  private final DropReason reason;

  protected FilterNode(String name, DropReason reason) {
    super(name);
    this.reason = reason;
  }

  /** Whether the packet may go on. It must not be modified. */
  protected abstract boolean accept(PacketInfo packet);

  @Override
  final void handle(PacketInfo packet) {
    if (accept(packet)) {
      forward(packet);
    } else {
      drop(packet, reason);
    }
  }
}
