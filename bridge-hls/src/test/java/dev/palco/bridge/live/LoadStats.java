package dev.palco.bridge.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulated viewers saw, shared by all of them: responses by kind, errors, and how long
 * after the first viewer each other viewer received the same playlist version (the time the
 * origin takes to release every held request when a part appears).
 */
final class LoadStats {

    private static final int FANOUT_BUCKET_MS = 1;
    private static final int FANOUT_BUCKETS = 10_000;

    private final LongAdder playlists = new LongAdder();
    private final LongAdder parts = new LongAdder();
    private final LongAdder partBytes = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final ConcurrentHashMap<Integer, LongAdder> errorsByStatus = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final ConcurrentHashMap<Long, Long> firstSeenNs = new ConcurrentHashMap<>();
    private final AtomicIntegerArray fanoutMs = new AtomicIntegerArray(FANOUT_BUCKETS);
    private volatile boolean measuring;
    private volatile boolean stopping;

    void connected() {
        connections.incrementAndGet();
    }

    void disconnected() {
        connections.decrementAndGet();
    }

    long connections() {
        return connections.get();
    }

    /** A non-200 answer ({@code status}), a playlist without parts (0) or a connection failure (-1). */
    void error(int status) {
        errors.increment();
        errorsByStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    /** Errors by status, for the report. */
    String errorsByStatus() {
        StringBuilder b = new StringBuilder("{");
        errorsByStatus.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v.sum()));
        return b.append('}').toString();
    }

    void part(long bytes) {
        if (measuring) {
            parts.increment();
            partBytes.add(bytes);
        }
    }

    /** A viewer that fell behind jumped over {@code parts} parts to the live edge. */
    void skipped(int parts) {
        if (measuring) {
            skipped.add(parts);
        }
    }

    long skipped() {
        return skipped.sum();
    }

    /** A viewer received the playlist whose last part is {@code (msn, part)} of rendition {@code r}. */
    void version(int r, long msn, long part, long nowNs) {
        if (!measuring) {
            return;
        }
        playlists.increment();
        long key = (long) r << 48 | msn << 8 | part;
        Long first = firstSeenNs.putIfAbsent(key, nowNs);
        if (first != null) {
            long ms = Math.max(0, (nowNs - first) / 1_000_000L / FANOUT_BUCKET_MS);
            fanoutMs.incrementAndGet((int) Math.min(FANOUT_BUCKETS - 1, ms));
        }
    }

    void startMeasuring() {
        measuring = true;
    }

    void stop() {
        measuring = false;
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    long playlists() {
        return playlists.sum();
    }

    long parts() {
        return parts.sum();
    }

    long partBytes() {
        return partBytes.sum();
    }

    long errors() {
        return errors.sum();
    }

    long versions() {
        return firstSeenNs.size();
    }

    /** The {@code p}-quantile of the fan-out delay, in ms (nearest rank over 1 ms buckets). */
    long fanoutPercentileMs(double p) {
        long total = 0;
        for (int i = 0; i < FANOUT_BUCKETS; i++) {
            total += fanoutMs.get(i);
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < FANOUT_BUCKETS; i++) {
            seen += fanoutMs.get(i);
            if (seen >= rank) {
                return (long) i * FANOUT_BUCKET_MS;
            }
        }
        return FANOUT_BUCKETS;
    }
}
