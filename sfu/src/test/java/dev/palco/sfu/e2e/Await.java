package dev.palco.sfu.e2e;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline, the only way these tests wait. */
final class Await {
  private Await() {}

  /** Polls {@code condition} until it holds, or fails after {@code timeoutMs}. */
  static void until(String what, long timeoutMs, BooleanSupplier condition) {
    until(what, timeoutMs, condition, () -> "");
  }

  /**
   * Polls {@code condition} until it holds, or fails after {@code timeoutMs} with {@code detail}
   * in the message.
   */
  static void until(String what, long timeoutMs, BooleanSupplier condition, Supplier<String> detail) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what
            + " " + detail.get());
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
    }
  }
}
