package dev.palco.loadtest.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc/<pid>} (proc(5)). */
public final class ProcessStats {
  /** {@code getconf CLK_TCK} on Linux x86-64: the unit of utime and stime. */
  private static final long TICKS_PER_SECOND = 100;

  /** Held so that java.util.logging keeps the levels set on them (it references loggers weakly). */
  private static final java.util.List<java.util.logging.Logger> QUIETED = new java.util.ArrayList<>();

  private ProcessStats() {}

  /**
   * Keeps ice4j and jitsi-utils to errors: they log every pair and state change at INFO, and a
   * warning per client about its hand-made loopback candidate, thousands of lines under load.
   */
  public static synchronized void quietIceLogs() {
    for (String name : new String[] {"org.ice4j", "org.jitsi"}) {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
      logger.setLevel(java.util.logging.Level.SEVERE);
      QUIETED.add(logger);
    }
  }

  /**
   * User plus system CPU time of all the process's threads (fields 14 utime and 15 stime of
   * {@code /proc/<pid>/stat}), in nanoseconds; -1 if unreadable.
   */
  public static long cpuNanos(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Field 2 (comm) is in parentheses and may hold spaces: count fields after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** VmRSS of the process in bytes, or -1. */
  public static long rssBytes(long pid) {
    if (pid < 0) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
