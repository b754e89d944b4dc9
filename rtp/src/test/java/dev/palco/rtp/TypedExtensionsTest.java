package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TypedExtensionsTest {
    private final byte[] chromium = RtpFixtures.chromiumOpus();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();

    @Test
    void readsChromiumExtensions() {
        assertTrue(cursor.reset(chromium, 0, chromium.length));

        assertTrue(cursor.find(RtpFixtures.AUDIO_LEVEL_ID));
        assertTrue(AudioLevelExtension.isValidLength(cursor.dataLength()));
        assertTrue(AudioLevelExtension.voiceActivity(chromium, cursor.dataOffset()));
        assertEquals(40, AudioLevelExtension.levelMinusDbov(chromium, cursor.dataOffset()));

        assertTrue(cursor.find(RtpFixtures.ABS_SEND_TIME_ID));
        assertTrue(AbsSendTimeExtension.isValidLength(cursor.dataLength()));
        assertEquals(0x3F1A7C, AbsSendTimeExtension.read(chromium, cursor.dataOffset()));

        assertTrue(cursor.find(RtpFixtures.TRANSPORT_CC_ID));
        assertTrue(TransportCcExtension.isValidLength(cursor.dataLength()));
        assertEquals(668, TransportCcExtension.sequenceNumber(chromium, cursor.dataOffset()));

        assertTrue(cursor.find(RtpFixtures.MID_ID));
        assertEquals("0", SdesTokenExtension.toString(chromium, cursor.dataOffset(), cursor.dataLength()));
        assertTrue(SdesTokenExtension.tokenEquals(chromium, cursor.dataOffset(), cursor.dataLength(),
                SdesTokenExtension.tokenBytes("0")));
    }

    @Test
    void audioLevelWritesAndClamps() {
        byte[] buf = new byte[1];
        assertEquals(1, AudioLevelExtension.write(buf, 0, false, 127));
        assertEquals(0x7F, buf[0] & 0xFF);             // V=0, level 127 (silence)
        AudioLevelExtension.write(buf, 0, true, 0);
        assertEquals(0x80, buf[0] & 0xFF);             // V=1, level 0 (loudest)
        AudioLevelExtension.write(buf, 0, false, 500);
        assertEquals(127, AudioLevelExtension.levelMinusDbov(buf, 0));
        AudioLevelExtension.write(buf, 0, true, -3);
        assertEquals(0, AudioLevelExtension.levelMinusDbov(buf, 0));
        assertTrue(AudioLevelExtension.voiceActivity(buf, 0));
        assertFalse(AudioLevelExtension.isValidLength(2));
    }

    @Test
    void transportCcRewritesInPlace() {
        byte[] buf = chromium.clone();
        assertTrue(cursor.reset(buf, 0, buf.length));
        assertTrue(cursor.find(RtpFixtures.TRANSPORT_CC_ID));
        assertEquals(2, TransportCcExtension.write(buf, cursor.dataOffset(), 65536 + 65535));
        assertEquals(65535, TransportCcExtension.sequenceNumber(buf, cursor.dataOffset()));
        assertEquals(0x31, buf[cursor.dataOffset() - 1], "element header untouched");
        assertEquals(0x40, buf[cursor.dataOffset() + 2], "next element untouched");
    }

    @Test
    void absSendTimeConversions() {
        // 1.5 s: 1 << 18 ticks per second, so 1.5 s = 0x060000.
        assertEquals(0x060000, AbsSendTimeExtension.fromMicros(1_500_000));
        assertEquals(1_500_000, AbsSendTimeExtension.toMicros(0x060000));
        // Wraps every 64 s; negative times are taken modulo 64 s too.
        assertEquals(AbsSendTimeExtension.fromMicros(1_500_000),
                AbsSendTimeExtension.fromMicros(64_000_000L * 1000 + 1_500_000));
        assertEquals(AbsSendTimeExtension.fromMicros(62_500_000), AbsSendTimeExtension.fromMicros(-1_500_000));
        // Just under 64 s rounds up to the wrap, which is 0.
        assertEquals(0, AbsSendTimeExtension.fromMicros(63_999_999));
        // NTP 32.32: 1.5 s = 0x00000001_80000000; bits 14..37 are 0x060000.
        long ntp = 0x0000_0001_8000_0000L | (0xABCDL << 40);
        assertEquals(0x060000, AbsSendTimeExtension.fromNtp(ntp));
        assertEquals(0x0000_0001_8000_0000L, AbsSendTimeExtension.toNtp(0x060000));
        for (int value = 0; value < AbsSendTimeExtension.MODULUS; value += 4099) {
            assertEquals(value, AbsSendTimeExtension.fromMicros(AbsSendTimeExtension.toMicros(value)));
            assertEquals(value, AbsSendTimeExtension.fromNtp(AbsSendTimeExtension.toNtp(value)));
        }
        byte[] buf = new byte[5];
        assertEquals(3, AbsSendTimeExtension.write(buf, 1, 0x1FFFFFF));
        assertArrayEquals(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0}, buf);
        assertEquals(0xFFFFFF, AbsSendTimeExtension.read(buf, 1));
    }

    @Test
    void absSendTimeDiffAcrossWrap() {
        assertEquals(1, AbsSendTimeExtension.diffTicks(0, 0xFFFFFF));
        assertEquals(-1, AbsSendTimeExtension.diffTicks(0xFFFFFF, 0));
        assertEquals(0x7FFFFF, AbsSendTimeExtension.diffTicks(0x7FFFFF, 0));
        assertEquals(-0x800000, AbsSendTimeExtension.diffTicks(0x800000, 0));
    }

    @Test
    void absCaptureTimeBothLengths() {
        byte[] buf = new byte[20];
        long ntp = 0xE8A1_2345_8000_0000L;               // some 2023 date + 0.5 s, top bit set
        assertEquals(8, AbsCaptureTimeExtension.write(buf, 2, ntp));
        assertEquals(ntp, AbsCaptureTimeExtension.captureTimeNtp(buf, 2));
        assertFalse(AbsCaptureTimeExtension.hasClockOffset(8));
        long offset = -(3L << 32) - (1L << 31);        // -3.5 s in signed 32.32
        assertEquals(16, AbsCaptureTimeExtension.write(buf, 2, ntp, offset));
        assertTrue(AbsCaptureTimeExtension.hasClockOffset(16));
        assertEquals(ntp, AbsCaptureTimeExtension.captureTimeNtp(buf, 2));
        assertEquals(offset, AbsCaptureTimeExtension.clockOffsetQ32(buf, 2));
        assertEquals((byte) 0xE8, buf[2]);
        assertEquals((byte) 0xFF, buf[10], "negative offset is two's complement");
        assertTrue(AbsCaptureTimeExtension.isValidLength(8));
        assertTrue(AbsCaptureTimeExtension.isValidLength(16));
        assertFalse(AbsCaptureTimeExtension.isValidLength(12));
    }

    @Test
    void absCaptureTimeFitsOneByteFormAt16Bytes() {
        byte[] packet = RtpPacketTest.hex("80 60 0001 00000002 00000003 AA");
        byte[] buf = new byte[64];
        System.arraycopy(packet, 0, buf, 0, packet.length);
        byte[] value = new byte[16];
        AbsCaptureTimeExtension.write(value, 0, 1L << 63, -1L);
        int newLen = RtpHeaderExtensions.add(buf, 0, packet.length, 64, 13, value, 0, 16);
        assertTrue(cursor.reset(buf, 0, newLen));
        assertFalse(cursor.isTwoByte());
        assertTrue(cursor.find(13));
        assertEquals(1L << 63, AbsCaptureTimeExtension.captureTimeNtp(buf, cursor.dataOffset()));
        assertEquals(-1L, AbsCaptureTimeExtension.clockOffsetQ32(buf, cursor.dataOffset()));
    }

    @Test
    void sdesTokensStopAtNulAndMatchWithoutAllocating() {
        byte[] data = {'l', 'o', 'w', 0, 0, 0};         // "low" padded with NULs by the sender
        assertEquals(3, SdesTokenExtension.tokenLength(data, 0, data.length));
        assertEquals("low", SdesTokenExtension.toString(data, 0, data.length));
        byte[][] rids = {SdesTokenExtension.tokenBytes("high"), SdesTokenExtension.tokenBytes("mid"),
            SdesTokenExtension.tokenBytes("low")};
        assertEquals(2, SdesTokenExtension.indexOf(data, 0, data.length, rids));
        assertEquals(-1, SdesTokenExtension.indexOf(data, 0, 2, rids), "\"lo\" is no RID");
        byte[] empty = {0, 'x'};
        assertEquals(0, SdesTokenExtension.tokenLength(empty, 0, 2));
        assertFalse(SdesTokenExtension.tokenEquals(empty, 0, 2, new byte[0]), "empty never matches");
        byte[] hostile = {'a', '\n', (byte) 0xC3};
        assertEquals("a??", SdesTokenExtension.toString(hostile, 0, 3));
        byte[] out = new byte[8];
        assertEquals(3, SdesTokenExtension.write(out, 1, rids[1]));
        assertTrue(SdesTokenExtension.tokenEquals(out, 1, 3, rids[1]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "caf\u00e9", "tab\t"})
    void tokenBytesRejectsNonTokens(String token) {
        assertThrows(IllegalArgumentException.class, () -> SdesTokenExtension.tokenBytes(token));
    }

    @Test
    void tokenBytesRejectsTooLong() {
        assertThrows(IllegalArgumentException.class, () -> SdesTokenExtension.tokenBytes("x".repeat(256)));
        assertEquals(255, SdesTokenExtension.tokenBytes("x".repeat(255)).length);
    }

    @Test
    void uriConstants() {
        assertEquals("urn:ietf:params:rtp-hdrext:ssrc-audio-level", AudioLevelExtension.URI);
        assertEquals("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", AbsSendTimeExtension.URI);
        assertEquals("http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
                TransportCcExtension.URI);
        assertEquals("urn:ietf:params:rtp-hdrext:sdes:mid", SdesTokenExtension.MID_URI);
        assertEquals("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id", SdesTokenExtension.RID_URI);
        assertEquals("urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
                SdesTokenExtension.REPAIRED_RID_URI);
        assertEquals("http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
                AbsCaptureTimeExtension.URI);
    }
}
