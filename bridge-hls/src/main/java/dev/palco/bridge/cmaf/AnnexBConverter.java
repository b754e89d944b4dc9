package dev.palco.bridge.cmaf;

import java.util.Arrays;

/**
 * Turns an H.264 access unit in Annex B byte-stream form into the length-prefixed form that MP4
 * samples carry, and notes what it saw on the way (an IDR, the parameter sets).
 *
 * <pre>
 * ITU-T H.264 Annex B.1:   [00 00 00] 01 NAL   [00 00 00] 01 NAL ...   (3- or 4-byte start codes)
 * ISO/IEC 14496-15 §5.3.2: [len:32] NAL   [len:32] NAL ...             (lengthSizeMinusOne = 3)
 * </pre>
 *
 * <p>SPS (7), PPS (8) and access unit delimiters (9) are left out of the sample: with the
 * {@code avc1} sample entry the parameter sets belong in {@code avcC}, and players reject a stream
 * whose in-band sets disagree with it. The last SPS and PPS seen are kept so that the caller can
 * build the {@link AvcConfiguration} from the first key frame. One instance is reusable and
 * allocates only when a parameter set changes; not thread-safe.
 */
public final class AnnexBConverter {

    private static final int NAL_TYPE_IDR = 5;
    private static final int NAL_TYPE_SPS = 7;
    private static final int NAL_TYPE_PPS = 8;
    private static final int NAL_TYPE_AUD = 9;

    private boolean idr;
    private int nalCount;
    private byte[] sps;
    private byte[] pps;

    /**
     * Converts one access unit, appending the length-prefixed NAL units to {@code out}.
     *
     * @return the number of bytes appended; 0 when the access unit held no slice data (no start
     *     code, or only parameter sets and delimiters)
     */
    public int convert(byte[] buf, int off, int len, BoxWriter out) {
        idr = false;
        nalCount = 0;
        int start = out.length();
        int end = off + len;
        int nalStart = nextNalStart(buf, off, end);
        while (nalStart >= 0 && nalStart < end) {
            int next = nextStartCode(buf, nalStart, end);
            int nalEnd = next < 0 ? end : next;
            // Trailing zero bytes belong to the next start code (trailing_zero_8bits, B.1.1).
            while (nalEnd > nalStart && buf[nalEnd - 1] == 0) {
                nalEnd--;
            }
            int nalLen = nalEnd - nalStart;
            if (nalLen > 0) {
                int type = buf[nalStart] & 0x1F;
                if (type == NAL_TYPE_SPS) {
                    sps = keep(sps, buf, nalStart, nalLen);
                } else if (type == NAL_TYPE_PPS) {
                    pps = keep(pps, buf, nalStart, nalLen);
                } else if (type != NAL_TYPE_AUD) {
                    idr |= type == NAL_TYPE_IDR;
                    nalCount++;
                    out.u32(nalLen);
                    out.bytes(buf, nalStart, nalLen);
                }
            }
            nalStart = next < 0 ? -1 : nextNalStart(buf, next, end);
        }
        return out.length() - start;
    }

    /** Whether the last access unit converted contained an IDR slice. */
    public boolean lastWasIdr() {
        return idr;
    }

    /** Number of NAL units written for the last access unit. */
    public int lastNalCount() {
        return nalCount;
    }

    /** The last SPS seen, or null. */
    public byte[] sps() {
        return sps;
    }

    /** The last PPS seen, or null. */
    public byte[] pps() {
        return pps;
    }

    private static byte[] keep(byte[] current, byte[] buf, int off, int len) {
        if (current != null && current.length == len && Arrays.equals(current, 0, len, buf, off, off + len)) {
            return current;
        }
        return Arrays.copyOfRange(buf, off, off + len);
    }

    /** Index of the first byte after the start code at or after {@code from}, or -1. */
    private static int nextNalStart(byte[] buf, int from, int end) {
        int sc = nextStartCode(buf, from, end);
        if (sc < 0) {
            return -1;
        }
        int i = sc;
        while (buf[i] == 0) {
            i++;
        }
        return i + 1;
    }

    /** Index of the first zero byte of the next 00 00 01 start code at or after {@code from}, or -1. */
    private static int nextStartCode(byte[] buf, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if (buf[i] == 0 && buf[i + 1] == 0 && buf[i + 2] == 1) {
                int s = i;
                while (s > from && buf[s - 1] == 0) {
                    s--;
                }
                return s;
            }
        }
        return -1;
    }
}
