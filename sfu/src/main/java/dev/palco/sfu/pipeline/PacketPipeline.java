package dev.palco.sfu.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chain of {@link Node}s that a packet runs through on one thread, ending in a node that
 * consumes it or routes it to other pipelines. Built once, then run for every packet:
 *
 * <pre>{@code
 * PacketPipeline receive = PacketPipeline.builder("receive", pool)
 *     .then(srtpDecrypt)
 *     .then(rtxUnwrap)
 *     .then(dedup)
 *     .end(byKind);            // a DemuxerNode with paths "rtp" and "rtcp"
 * }</pre>
 */
public final class PacketPipeline {
  private final String name;
  private final Node head;
  private final List<Node> nodes;

  private PacketPipeline(String name, List<Node> nodes) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.head = nodes.get(0);
  }

  /** Starts a pipeline whose drops are released to {@code pool}. */
  public static Builder builder(String name, PacketInfoPool pool) {
    return new Builder(name, pool);
  }

  /** The pipeline's name. */
  public String name() {
    return name;
  }

  /** Runs a packet through the pipeline. Ownership passes to the pipeline. */
  public void process(PacketInfo packet) {
    head.process(packet);
  }

  /** The wiring diagram, for logs and documentation: {@code receive: a → b → demux { … }}. */
  public String describe() {
    StringBuilder out = new StringBuilder(name).append(": ");
    describeInto(out);
    return out.toString();
  }

  void describeInto(StringBuilder out) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i > 0) {
        out.append(" → ");
      }
      nodes.get(i).describe(out);
    }
  }

  /** Every node's counters, in pipeline order, including the paths of demuxers. */
  public List<Node.NodeStats> stats() {
    List<Node.NodeStats> out = new ArrayList<>();
    collectInto(out);
    return out;
  }

  void collectInto(List<Node.NodeStats> out) {
    for (Node node : nodes) {
      node.collectStats(out);
    }
  }

  /** Assembles a pipeline. */
  public static final class Builder {
    private final String name;
    private final PacketInfoPool pool;
    private final List<Node> nodes = new ArrayList<>();

    private Builder(String name, PacketInfoPool pool) {
      this.name = Objects.requireNonNull(name);
      this.pool = Objects.requireNonNull(pool);
    }

    /** Appends a node that passes packets on. */
    public Builder then(Node node) {
      if (node instanceof ConsumerNode || node instanceof DemuxerNode) {
        throw new IllegalArgumentException(node.name() + " ends a pipeline: use end()");
      }
      nodes.add(node);
      return this;
    }

    /** Appends the node that consumes or routes every packet, and builds the pipeline. */
    public PacketPipeline end(Node last) {
      if (!(last instanceof ConsumerNode || last instanceof DemuxerNode)) {
        throw new IllegalArgumentException(last.name() + " passes packets on: it cannot end a pipeline");
      }
      nodes.add(last);
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).attach(i + 1 < nodes.size() ? nodes.get(i + 1) : null, pool);
      }
      return new PacketPipeline(name, nodes);
    }
  }
}
