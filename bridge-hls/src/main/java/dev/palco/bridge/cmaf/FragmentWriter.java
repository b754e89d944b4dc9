package dev.palco.bridge.cmaf;

/**
 * Writes one CMAF chunk: a {@code moof} describing the samples of a {@link SampleTable}, followed
 * by the {@code mdat} holding them. Each LL-HLS part is one such chunk.
 *
 * <pre>
 * moof
 *   mfhd   (ISO/IEC 14496-12 §8.8.5)   sequence_number: +1 per fragment of the track
 *   traf
 *     tfhd (§8.8.7)  flags 0x020000 default-base-is-moof: data offsets count from this moof
 *                    track_ID
 *     tfdt (§8.8.12) version 1: 64-bit baseMediaDecodeTime of the first sample
 *     trun (§8.8.8)  flags 0x000001 data-offset | 0x000100 duration | 0x000200 size
 *                          | 0x000400 flags | 0x000800 composition offset (video with B/reordering)
 *                    version 1 when composition offsets are present (they are signed)
 *                    sample_count, data_offset (to the first mdat payload byte),
 *                    then per sample: duration, size, flags[, composition offset]
 * mdat     the sample bytes
 * </pre>
 *
 * <p>The writer keeps no state: the caller owns the sequence number and the decode time, which is
 * what keeps {@code tfdt} continuous from part to part (the next part starts where this one
 * ended).
 */
public final class FragmentWriter {

    private static final int MOOF = BoxWriter.fourcc("moof");
    private static final int MFHD = BoxWriter.fourcc("mfhd");
    private static final int TRAF = BoxWriter.fourcc("traf");
    private static final int TFHD = BoxWriter.fourcc("tfhd");
    private static final int TFDT = BoxWriter.fourcc("tfdt");
    private static final int TRUN = BoxWriter.fourcc("trun");
    private static final int MDAT = BoxWriter.fourcc("mdat");

    /** tfhd flag: base data offset is the start of the enclosing moof (§8.8.7.1). */
    public static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
    /** trun flag: data_offset present. */
    public static final int TRUN_DATA_OFFSET = 0x000001;
    /** trun flag: per-sample duration present. */
    public static final int TRUN_SAMPLE_DURATION = 0x000100;
    /** trun flag: per-sample size present. */
    public static final int TRUN_SAMPLE_SIZE = 0x000200;
    /** trun flag: per-sample flags present. */
    public static final int TRUN_SAMPLE_FLAGS = 0x000400;
    /** trun flag: per-sample composition time offset present. */
    public static final int TRUN_SAMPLE_COMPOSITION_OFFSET = 0x000800;

    private FragmentWriter() {
    }

    /**
     * Appends {@code moof}+{@code mdat} for {@code samples} to {@code out}.
     *
     * @param sequenceNumber mfhd sequence_number, starting at 1 and increasing per fragment
     * @param trackId the track's track_ID
     * @param baseMediaDecodeTime decode time of the first sample, in track ticks
     * @return bytes written
     */
    public static int write(BoxWriter out, long sequenceNumber, int trackId, long baseMediaDecodeTime, SampleTable samples) {
        int moofStart = out.length();
        boolean cto = samples.hasCompositionOffsets();
        int trunFlags = TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE | TRUN_SAMPLE_FLAGS
                | (cto ? TRUN_SAMPLE_COMPOSITION_OFFSET : 0);
        out.startBox(MOOF);
        out.startFullBox(MFHD, 0, 0);
        out.u32(sequenceNumber);
        out.endBox();
        out.startBox(TRAF);
        out.startFullBox(TFHD, 0, TFHD_DEFAULT_BASE_IS_MOOF);
        out.u32(trackId);
        out.endBox();
        out.startFullBox(TFDT, 1, 0);
        out.u64(baseMediaDecodeTime);
        out.endBox();
        out.startFullBox(TRUN, cto ? 1 : 0, trunFlags);
        int n = samples.count();
        out.u32(n);
        int dataOffsetAt = out.length();
        out.u32(0); // data_offset, patched below
        for (int i = 0; i < n; i++) {
            out.u32(samples.duration(i));
            out.u32(samples.size(i));
            out.u32(samples.flags(i));
            if (cto) {
                out.u32(samples.compositionOffset(i));
            }
        }
        out.endBox(); // trun
        out.endBox(); // traf
        out.endBox(); // moof
        int moofSize = out.length() - moofStart;
        out.putU32At(dataOffsetAt, moofSize + BoxWriter.BOX_HEADER_SIZE_BYTES);
        out.startBox(MDAT);
        out.bytes(samples.dataArray(), 0, samples.dataLength());
        out.endBox();
        return out.length() - moofStart;
    }
}
