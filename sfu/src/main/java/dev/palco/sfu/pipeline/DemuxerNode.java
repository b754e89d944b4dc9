package dev.palco.sfu.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * A node that routes each packet to the first path whose predicate accepts it. A packet that no
 * path wants is dropped as {@link DropReason#NO_ROUTE}.
 */
public non-sealed class DemuxerNode extends Node {

  /** Decides whether a packet belongs on a path. It must not modify or keep the packet. */
  @FunctionalInterface
  public interface PacketPredicate {
    boolean test(PacketInfo packet);
  }

  private PacketPredicate[] predicates = new PacketPredicate[0];
  private PacketPipeline[] paths = new PacketPipeline[0];
  private String[] pathNames = new String[0];

  public DemuxerNode(String name) {
    super(name);
  }

  /** Adds a path, tried after the ones added before it. Call before the pipeline runs. */
  public DemuxerNode addPath(String pathName, PacketPredicate predicate, PacketPipeline path) {
    int n = paths.length;
    predicates = java.util.Arrays.copyOf(predicates, n + 1);
    paths = java.util.Arrays.copyOf(paths, n + 1);
    pathNames = java.util.Arrays.copyOf(pathNames, n + 1);
    predicates[n] = predicate;
    paths[n] = path;
    pathNames[n] = pathName;
    return this;
  }

  @Override
  final void handle(PacketInfo packet) {
    for (int i = 0; i < predicates.length; i++) {
      if (predicates[i].test(packet)) {
        countOut();
        paths[i].process(packet);
        return;
      }
    }
    drop(packet, DropReason.NO_ROUTE);
  }

  @Override
  void describe(StringBuilder out) {
    out.append(name()).append(" {");
    for (int i = 0; i < paths.length; i++) {
      out.append(i == 0 ? " " : "; ").append(pathNames[i]).append(": ");
      paths[i].describeInto(out);
    }
    out.append(" }");
  }

  @Override
  void collectStats(List<NodeStats> out) {
    out.add(stats());
    for (PacketPipeline path : paths) {
      List<NodeStats> branch = new ArrayList<>();
      path.collectInto(branch);
      out.addAll(branch);
    }
  }
}
