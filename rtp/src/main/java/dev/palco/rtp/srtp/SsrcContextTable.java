package dev.palco.rtp.srtp;

/**
 * A fixed-capacity map from SSRC to crypto context with open addressing on primitive int keys, so
 * that the per-packet lookup neither boxes nor allocates. The table never grows past {@code
 * maxEntries}: the caller checks {@link #isFull()} before deriving a new context.
 *
 * <p>Not thread-safe; the owning {@link SrtpSender} or {@link SrtpReceiver} is single-threaded.
 *
 * @param <T> the context type
 */
final class SsrcContextTable<T> {
    private final int[] keys;
    private final Object[] values;
    private final int mask;
    private final int shift;
    private final int maxEntries;
    private int size;

    SsrcContextTable(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        // At most half full, so probe sequences stay short.
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries * 2 - 1)) << 1;
        this.keys = new int[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        this.shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(int ssrc) {
        // Fibonacci hashing: SSRCs are random by RFC 3550 §8.1 but a test or a hostile peer may
        // pick sequential ones.
        return (ssrc * 0x9E3779B9) >>> shift;
    }

    @SuppressWarnings("unchecked")
    T get(int ssrc) {
        int i = slot(ssrc);
        while (values[i] != null) {
            if (keys[i] == ssrc) {
                return (T) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    boolean isFull() {
        return size >= maxEntries;
    }

    int size() {
        return size;
    }

    /** Adds a context for an SSRC not yet present; the caller has checked {@link #isFull()}. */
    void put(int ssrc, T value) {
        if (isFull()) {
            throw new IllegalStateException("SSRC table full");
        }
        int i = slot(ssrc);
        while (values[i] != null) {
            if (keys[i] == ssrc) {
                throw new IllegalStateException("SSRC already present");
            }
            i = (i + 1) & mask;
        }
        keys[i] = ssrc;
        values[i] = value;
        size++;
    }

    void clear() {
        java.util.Arrays.fill(values, null);
        size = 0;
    }
}
