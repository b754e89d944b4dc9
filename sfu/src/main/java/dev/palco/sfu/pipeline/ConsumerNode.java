package dev.palco.sfu.pipeline;

/**
 * The last node of a pipeline. It takes ownership of the packet: it must release it to the pool,
 * or hand it to whoever will (a send queue, a packet cache).
 */
public abstract non-sealed class ConsumerNode extends Node {

  protected ConsumerNode(String name) {
    super(name);
  }

  /** Takes the packet. */
  protected abstract void consume(PacketInfo packet);

  /** Returns a packet to the pool, for consumers that are done with it. */
  protected final void release(PacketInfo packet) {
    pool().release(packet);
  }

  @Override
  final void handle(PacketInfo packet) {
    countOut();
    consume(packet);
  }
}
