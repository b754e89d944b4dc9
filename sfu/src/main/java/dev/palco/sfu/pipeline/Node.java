package dev.palco.sfu.pipeline;

import java.util.EnumMap;
import java.util.Map;

/**
 * A step of a {@link PacketPipeline}. The kinds are closed: a node transforms, filters, observes,
 * routes or consumes, and its kind says what it may do with the packet it is given.
 *
 * <p>Every node counts what passes through it and every drop by {@link DropReason}, so the
 * statistics of a pipeline read like its wiring diagram. A pipeline runs on one thread at a time;
 * the counters are plain fields that a statistics reader samples without locking (a snapshot may
 * be a packet behind, never torn on a 64-bit JVM).
 */
public abstract sealed class Node
    permits TransformerNode, FilterNode, ObserverNode, DemuxerNode, ConsumerNode {

  private final String name;
  private Node next;
  private PacketInfoPool pool;

  private long packetsIn;
  private long bytesIn;
  private long packetsOut;
  private final long[] drops = new long[DropReason.count()];

  protected Node(String name) {
    this.name = name;
  }

  /** The node's name in diagrams and statistics. */
  public final String name() {
    return name;
  }

  /** Runs the packet through this node and, unless it is dropped or consumed, the rest. */
  public final void process(PacketInfo packet) {
    packetsIn++;
    bytesIn += packet.length();
    handle(packet);
  }

  abstract void handle(PacketInfo packet);

  /** Passes the packet to the next node. */
  final void forward(PacketInfo packet) {
    packetsOut++;
    next.process(packet);
  }

  /** Counts the drop and returns the packet to the pool: the packet's journey ends here. */
  final void drop(PacketInfo packet, DropReason reason) {
    drops[reason.ordinal()]++;
    pool.release(packet);
  }

  /** Counts a packet that left this node for somewhere other than {@link #forward}. */
  final void countOut() {
    packetsOut++;
  }

  void attach(Node nextNode, PacketInfoPool packetPool) {
    if (pool != null) {
      throw new IllegalStateException("node " + name + " is already in a pipeline");
    }
    this.next = nextNode;
    this.pool = packetPool;
  }

  final PacketInfoPool pool() {
    return pool;
  }

  /** Appends this node (and what it routes to) to a pipeline description. */
  void describe(StringBuilder out) {
    out.append(name);
  }

  /** Adds this node's statistics (and those of the nodes it routes to) to {@code out}. */
  void collectStats(java.util.List<NodeStats> out) {
    out.add(stats());
  }

  /** A snapshot of this node's counters. */
  public final NodeStats stats() {
    Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    for (int i = 0; i < drops.length; i++) {
      if (drops[i] != 0) {
        dropped.put(DropReason.of(i), drops[i]);
      }
    }
    return new NodeStats(name, packetsIn, bytesIn, packetsOut, dropped);
  }

  /** What one node counted: packets and bytes in, packets passed on, drops by reason. */
  public record NodeStats(
      String name, long packetsIn, long bytesIn, long packetsOut, Map<DropReason, Long> drops) {

    /** Total drops of every reason. */
    public long dropped() {
      long total = 0;
      for (long n : drops.values()) {
        total += n;
      }
      return total;
    }
  }
}
