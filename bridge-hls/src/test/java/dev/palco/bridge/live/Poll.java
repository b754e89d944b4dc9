package dev.palco.bridge.live;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline, checking every few milliseconds (tests never sleep blindly). */
final class Poll {

    private Poll() {
    }

    static void until(BooleanSupplier condition, long timeoutMs, Supplier<String> what) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
