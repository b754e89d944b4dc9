package dev.palco.bridge.cmaf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FragmentWriterTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    @Test
    void twoSampleFragmentIsByteExact() {
        SampleTable t = new SampleTable();
        t.add(3000, SampleFlags.SYNC, 0, new byte[] {(byte) 0xAA, (byte) 0xBB, (byte) 0xCC}, 0, 3);
        t.add(3000, SampleFlags.NON_SYNC, 0, new byte[] {0, (byte) 0xDD, (byte) 0xEE, 0}, 1, 2);
        BoxWriter out = new BoxWriter(16);
        out.u8(0x99); // something already in the buffer: the fragment is appended after it
        int len = FragmentWriter.write(out, 7, 1, 0x1_0000_0000L, t);

        byte[] expected = hex(""
                + "00000070 6d6f6f66"                   // moof, 112 bytes
                + "00000010 6d666864 00000000"          //   mfhd, version 0, flags 0
                + "00000007"                            //     sequence_number 7
                + "00000058 74726166"                   //   traf, 88 bytes
                + "00000010 74666864 00020000"          //     tfhd, flags default-base-is-moof
                + "00000001"                            //       track_ID 1
                + "00000014 74666474 01000000"          //     tfdt, version 1 (64-bit time)
                + "00000001 00000000"                   //       baseMediaDecodeTime 2^32
                + "0000002c 7472756e 00000701"          //     trun v0, flags data-offset|duration|size|flags
                + "00000002"                            //       sample_count 2
                + "00000078"                            //       data_offset 120 = moof 112 + mdat header 8
                + "00000bb8 00000003 02000000"          //       s0: 3000 ticks, 3 bytes, depends_on=2 (sync)
                + "00000bb8 00000002 01010000"          //       s1: 3000 ticks, 2 bytes, depends_on=1, non-sync
                + "0000000d 6d646174"                   // mdat, 13 bytes
                + "aabbcc ddee");                       //   s0 then s1
        assertEquals(expected.length, len);
        byte[] written = java.util.Arrays.copyOfRange(out.array(), 1, 1 + len);
        assertArrayEquals(expected, written);
    }

    @Test
    void compositionOffsetsSwitchTrunToVersionOneWithSignedOffsets() {
        SampleTable t = new SampleTable();
        t.add(3000, SampleFlags.SYNC, 6000, new byte[] {1}, 0, 1);
        t.add(3000, SampleFlags.NON_SYNC, -3000, new byte[] {2}, 0, 1);
        BoxWriter out = new BoxWriter(16);
        int len = FragmentWriter.write(out, 1, 2, 0, t);
        byte[] b = out.array();
        BoxReader.Box trun = BoxReader.find(b, 0, len, "trun");
        assertEquals(1, b[trun.payload()]); // ISO/IEC 14496-12 §8.8.8.2: version 1 = signed offsets
        int flags = (int) BoxReader.u32(b, trun.payload()) & 0xFFFFFF;
        assertEquals(0x000F01, flags);
        int s0 = trun.payload() + 12;
        assertEquals(6000, (int) BoxReader.u32(b, s0 + 12));
        assertEquals(-3000, (int) BoxReader.u32(b, s0 + 16 + 12));
    }

    @Test
    void iso14496_12_8_8_3_1_syncAndNonSyncFlagsSayWhatTheyAre() {
        assertEquals(2, SampleFlags.dependsOn(SampleFlags.SYNC));
        assertFalse(SampleFlags.isNonSync(SampleFlags.SYNC));
        assertEquals(1, SampleFlags.dependsOn(SampleFlags.NON_SYNC));
        assertTrue(SampleFlags.isNonSync(SampleFlags.NON_SYNC));
    }

    @Test
    void dataOffsetPointsAtTheFirstSampleByte() {
        SampleTable t = new SampleTable();
        for (int i = 0; i < 50; i++) {
            t.add(1024, SampleFlags.SYNC, 0, new byte[] {(byte) i, 9}, 0, 2);
        }
        BoxWriter out = new BoxWriter(16);
        int len = FragmentWriter.write(out, 1, 1, 0, t);
        byte[] b = out.array();
        BoxReader.Box trun = BoxReader.find(b, 0, len, "trun");
        long dataOffset = BoxReader.u32(b, trun.payload() + 8);
        assertEquals(0, b[(int) dataOffset]);
        assertEquals(49, b[(int) dataOffset + 98]);
        assertEquals(len, (int) dataOffset + 100);
    }
}
