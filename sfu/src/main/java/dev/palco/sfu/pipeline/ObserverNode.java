package dev.palco.sfu.pipeline;

/** A node that looks at every packet (for statistics, feedback or detection) and passes it on. */
public abstract non-sealed class ObserverNode extends Node {

  protected ObserverNode(String name) {
    super(name);
  }

  /** Looks at the packet. It must not be modified or kept. */
  protected abstract void observe(PacketInfo packet);

  @Override
  final void handle(PacketInfo packet) {
    observe(packet);
    forward(packet);
  }
}
