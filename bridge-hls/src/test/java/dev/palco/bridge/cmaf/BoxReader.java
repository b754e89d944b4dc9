package dev.palco.bridge.cmaf;

import java.util.ArrayList;
import java.util.List;

/** A minimal ISO BMFF box walker for tests: finds boxes by path and reads big-endian fields. */
public final class BoxReader {

    /** A box found in a buffer: where it starts, its size and where its payload starts. */
    public record Box(String type, int start, int size, int payload) {
        /** End of the box (exclusive). */
        public int end() {
            return start + size;
        }
    }

    private BoxReader() {
    }

    /** The boxes directly inside {@code [from, to)}. */
    public static List<Box> children(byte[] b, int from, int to) {
        List<Box> boxes = new ArrayList<>();
        int p = from;
        while (p + 8 <= to) {
            int size = (int) u32(b, p);
            if (size < 8 || p + size > to) {
                throw new AssertionError("bad box size " + size + " at " + p);
            }
            boxes.add(new Box(new String(b, p + 4, 4, java.nio.charset.StandardCharsets.US_ASCII), p, size, p + 8));
            p += size;
        }
        if (p != to) {
            throw new AssertionError("trailing bytes after boxes at " + p);
        }
        return boxes;
    }

    /** Containers we descend into, with the bytes to skip before their children. */
    private static int childOffset(String type) {
        switch (type) {
            case "moov": case "trak": case "mdia": case "minf": case "dinf": case "stbl": case "mvex":
            case "moof": case "traf":
                return 0;
            case "stsd": case "dref":
                return 8; // version/flags + entry_count
            case "avc1":
                return 78; // VisualSampleEntry fields
            case "mp4a":
                return 28; // AudioSampleEntry fields
            default:
                return -1;
        }
    }

    /** All boxes in the buffer, depth first, in order. */
    public static List<Box> flatten(byte[] b, int off, int len) {
        List<Box> out = new ArrayList<>();
        walk(b, off, off + len, out);
        return out;
    }

    private static void walk(byte[] b, int from, int to, List<Box> out) {
        for (Box box : children(b, from, to)) {
            out.add(box);
            int skip = childOffset(box.type());
            if (skip >= 0) {
                walk(b, box.payload() + skip, box.end(), out);
            }
        }
    }

    /** The first box of {@code type}, depth first. */
    public static Box find(byte[] b, int off, int len, String type) {
        for (Box box : flatten(b, off, len)) {
            if (box.type().equals(type)) {
                return box;
            }
        }
        throw new AssertionError("no " + type + " box");
    }

    /** The types of all boxes, depth first. */
    public static List<String> types(byte[] b, int off, int len) {
        List<String> t = new ArrayList<>();
        for (Box box : flatten(b, off, len)) {
            t.add(box.type());
        }
        return t;
    }

    /** Reads an unsigned 32-bit big-endian value. */
    public static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }

    /** Reads an unsigned 16-bit big-endian value. */
    public static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    /** Reads a 64-bit big-endian value. */
    public static long u64(byte[] b, int p) {
        return u32(b, p) << 32 | u32(b, p + 4);
    }
}
