package dev.palco.loadtest.forwarding;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of this process from {@code /proc/self/stat}, and of named threads from the JVM. */
final class ProcessCpu {
  /** {@code getconf CLK_TCK} on Linux x86-64: the unit of utime and stime in /proc/self/stat. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /**
   * User plus system CPU time of the process (proc(5): fields 14 utime and 15 stime, in clock
   * ticks), in nanoseconds; -1 if /proc is unreadable.
   */
  static long processCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      long utime = Long.parseLong(f[11]); // field 14
      long stime = Long.parseLong(f[12]); // field 15
      return (utime + stime) * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU time of the live threads whose names start with one of {@code prefixes}, in nanoseconds. */
  static long threadCpuNanos(String... prefixes) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      for (String p : prefixes) {
        if (t.getName().startsWith(p)) {
          long ns = mx.getThreadCpuTime(t.getId());
          if (ns > 0) {
            total += ns;
          }
          break;
        }
      }
    }
    return total;
  }

  /** The 1, 5 and 15 minute load averages from /proc/loadavg. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + ", " + f[1] + ", " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
