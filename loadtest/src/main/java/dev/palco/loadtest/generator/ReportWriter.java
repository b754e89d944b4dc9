package dev.palco.loadtest.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Markdown rows for docs/benchmarks.md and a small SVG chart of throughput and latency against load. */
public final class ReportWriter {
  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
  private static final int PANEL_W = 320;
  private static final int PANEL_H = 200;
  private static final int MARGIN = 50;

  private ReportWriter() {}

  /**
   * Two panels side by side, delivered packets/s and p99 forwarding latency, each against the
   * number of subscribers, one line per series.
   */
  public static String chart(String title, Map<String, List<WindowResult>> series) {
    int width = 2 * (PANEL_W + 2 * MARGIN);
    int height = PANEL_H + 2 * MARGIN + 20;
    double maxX = 1;
    double maxPps = 1;
    double maxP99 = 0.1;
    for (List<WindowResult> points : series.values()) {
      for (WindowResult w : points) {
        maxX = Math.max(maxX, w.subscribers());
        maxPps = Math.max(maxPps, w.packetsPerSecond());
        maxP99 = Math.max(maxP99, w.p99Ms());
      }
    }
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        + "font-family=\"sans-serif\" font-size=\"11\">%n", width, height));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\">%s</text>%n", MARGIN,
        escape(title)));
    panel(svg, 0, "delivered packets/s", maxX, maxPps, series, true);
    panel(svg, PANEL_W + 2 * MARGIN, "p99 forwarding latency (ms)", maxX, maxP99, series, false);
    int i = 0;
    for (String name : series.keySet()) {
      svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
          width - 120, 16 + 14 * i, COLOURS[i % COLOURS.length], escape(name)));
      i++;
    }
    return svg.append("</svg>\n").toString();
  }

  private static void panel(StringBuilder svg, int left, String label, double maxX, double maxY,
      Map<String, List<WindowResult>> series, boolean throughput) {
    int x0 = left + MARGIN;
    int y0 = MARGIN + 10 + PANEL_H;
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y0,
        x0 + PANEL_W, y0));
    svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y0,
        x0, y0 - PANEL_H));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x0, y0 - PANEL_H - 6, escape(label)));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">subscribers (max %.0f)</text>%n", x0 + 80, y0 + 30,
        maxX));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.4g</text>%n", x0 - 4,
        y0 - PANEL_H + 4, maxY));
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n", x0 - 4, y0));
    int i = 0;
    for (List<WindowResult> points : series.values()) {
      StringBuilder path = new StringBuilder();
      for (WindowResult w : points) {
        double v = throughput ? w.packetsPerSecond() : w.p99Ms();
        double x = x0 + PANEL_W * w.subscribers() / maxX;
        double y = y0 - PANEL_H * Math.min(1, v / maxY);
        path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>%n", x, y,
            COLOURS[i % COLOURS.length]));
      }
      svg.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\"/>%n", path,
          COLOURS[i % COLOURS.length]));
      i++;
    }
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Appends one run's table to a Markdown file. */
  public static void appendRun(Path markdown, Map<String, Object> result, WindowResult steady, Path svg)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%n#### palco-loadtest %s on %s, %s (load average %s)%n%n",
        result.get("scenario"), result.get("target"), result.get("startedAt"), result.get("loadAverageBefore")));
    if (result.containsKey("participants")) {
      md.append(String.format(Locale.ROOT, "%s participants, each receiving every other: %s subscriptions.%n%n",
          result.get("participants"), result.get("subscriptions")));
    }
    md.append(header());
    md.append(row(String.valueOf(result.get("target")), steady));
    Object classes = result.get("bandwidthClasses");
    if (classes instanceof List<?> list && !list.isEmpty()) {
      md.append(String.format(Locale.ROOT, "%n"));
      md.append(bandwidthClassTable(list));
    }
    md.append(String.format(Locale.ROOT, "%nChart: `%s`. Time to first frame and totals are in the JSON result.%n",
        svg));
    Files.writeString(markdown, md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * The simulcast scenario's table, one row per bandwidth class: its limit, subscribers, the
   * layer each ended on, delivered video bitrate per subscriber, loss after the shaper and packets
   * the shaper dropped over the measured interval, and packets lost for good.
   */
  public static String bandwidthClassTable(List<?> classes) {
    StringBuilder md = new StringBuilder("| class | limit kbit/s | subscribers | layer at the end | video kbit/s per "
        + "subscriber | loss after shaping % | shaper drops | lost for good |\n"
        + "|---|---:|---:|---|---:|---:|---:|---:|\n");
    for (Object o : classes) {
      Map<?, ?> c = (Map<?, ?>) o;
      long limit = ((Number) c.get("limitBps")).longValue();
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %.2f | %s | %s |%n", c.get("name"),
          limit == 0 ? "unlimited" : Long.toString(limit / 1000), c.get("subscribers"),
          String.join(" ", ((List<?>) c.get("layers")).stream().map(String::valueOf).toList()),
          ((Number) c.get("videoKbpsPerSubscriber")).doubleValue(),
          ((Number) c.get("lossAfterShapingPercent")).doubleValue(), c.get("shaperDrops"), c.get("unrecoveredLoss")));
    }
    return md.toString();
  }

  /** The header of the per-load table. */
  public static String header() {
    return "| server | subscribers | delivered pps | Mbit/s | loss % | NACKs | RTX | p50 ms | p95 ms | p99 ms | max ms "
        + "| server CPU (cores) | CPU % per subscriber | server RSS MiB | generator CPU (cores) |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  }

  /** One row of the per-load table. */
  public static String row(String server, WindowResult w) {
    return String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.3f | %d | %d | %.2f | %.2f | %.2f | %.1f | %.2f "
        + "| %.2f | %.0f | %.2f |%n", server, w.subscribers(), w.packetsPerSecond(), w.bitrateMbps(), w.lossPercent(),
        w.nacks(), w.rtx(), w.p50Ms(), w.p95Ms(), w.p99Ms(), w.maxMs(), w.serverCpuCores(),
        w.serverCpuPercentPerSubscriber(), w.serverRssMb(), w.generatorCpuCores());
  }
}
