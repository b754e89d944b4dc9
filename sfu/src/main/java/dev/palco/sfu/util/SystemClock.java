package dev.palco.sfu.util;

/** {@link Clock} backed by the JVM: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
public final class SystemClock implements Clock {

    @Override
    public long nowNanos() {
        return System.nanoTime();
    }

    @Override
    public long wallClockMillis() {
        return System.currentTimeMillis();
    }
}
