package dev.palco.bridge.cmaf;

import java.util.Arrays;

/**
 * The samples of one fragment before it is written: per-sample duration, size, flags and
 * composition offset in parallel primitive arrays, and the sample bytes back to back (the future
 * {@code mdat} payload). Reused across fragments with {@link #clear}; it only grows, so the steady
 * path allocates nothing. Not thread-safe.
 */
public final class SampleTable {

    private int[] durations = new int[64];
    private int[] sizes = new int[64];
    private int[] flags = new int[64];
    private int[] compositionOffsets = new int[64];
    private int count;
    private long totalDurationTicks;
    private boolean anyCompositionOffset;
    private final BoxWriter data = new BoxWriter(64 * 1024);

    /** Appends one sample. */
    public void add(int durationTicks, int sampleFlags, int compositionOffsetTicks, byte[] buf, int off, int len) {
        if (count == durations.length) {
            int n = count * 2;
            durations = Arrays.copyOf(durations, n);
            sizes = Arrays.copyOf(sizes, n);
            flags = Arrays.copyOf(flags, n);
            compositionOffsets = Arrays.copyOf(compositionOffsets, n);
        }
        durations[count] = durationTicks;
        sizes[count] = len;
        flags[count] = sampleFlags;
        compositionOffsets[count] = compositionOffsetTicks;
        anyCompositionOffset |= compositionOffsetTicks != 0;
        count++;
        totalDurationTicks += durationTicks;
        data.bytes(buf, off, len);
    }

    /** Forgets all samples; keeps the capacity. */
    public void clear() {
        count = 0;
        totalDurationTicks = 0;
        anyCompositionOffset = false;
        data.reset();
    }

    /** Number of samples. */
    public int count() {
        return count;
    }

    /** Sum of the sample durations, in track ticks. */
    public long totalDurationTicks() {
        return totalDurationTicks;
    }

    /** Whether any sample has a non-zero composition offset (so trun must carry them). */
    public boolean hasCompositionOffsets() {
        return anyCompositionOffset;
    }

    /** Duration of sample {@code i} in ticks. */
    public int duration(int i) {
        return durations[i];
    }

    /** Size of sample {@code i} in bytes. */
    public int size(int i) {
        return sizes[i];
    }

    /** {@link SampleFlags} of sample {@code i}. */
    public int flags(int i) {
        return flags[i];
    }

    /** Composition offset (pts - dts) of sample {@code i} in ticks. */
    public int compositionOffset(int i) {
        return compositionOffsets[i];
    }

    /** The sample bytes, back to back: valid in {@code [0, dataLength())}. */
    public byte[] dataArray() {
        return data.array();
    }

    /** Total size of the sample bytes. */
    public int dataLength() {
        return data.length();
    }
}
