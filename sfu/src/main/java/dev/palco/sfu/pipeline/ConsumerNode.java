package dev.palco.sfu.pipeline;

/**
 * The last node of a pipeline. It takes ownership of the packet and ends its journey in one of
 * three ways, each counted: {@link #release} (done with it), {@link #handOff} (someone else now owns
 * it, e.g. a queue) or {@link #reject} (dropped for a reason, e.g. the socket refused it).
 */
public abstract non-sealed class ConsumerNode extends Node {

  protected ConsumerNode(String name) {
    super(name);
  }

  /** Takes the packet. */
  protected abstract void consume(PacketInfo packet);

  /** Counts the packet as delivered and returns it to the pool, for consumers done with it. */
  protected final void release(PacketInfo packet) {
    countOut();
    pool().release(packet);
  }

  /** Counts the packet as delivered to a new owner, who will release it. */
  protected final void handOff(PacketInfo packet) {
    countOut();
  }

  /** Counts the packet as dropped for {@code reason} and returns it to the pool. */
  protected final void reject(PacketInfo packet, DropReason reason) {
    drop(packet, reason);
  }

  @Override
  final void handle(PacketInfo packet) {
    consume(packet);
  }
}
