package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.ascii;
import static dev.palco.rtp.rtcp.RtcpTestBytes.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SR, RR, SDES and BYE (RFC 3550 §6.4–6.6): fixtures, parse→build→parse round trips, edge cases. */
class ReportPacketsTest {
  private static final int OFF = 5;

  private static byte[] at(byte[] packet) {
    byte[] buf = new byte[packet.length + 2 * OFF];
    System.arraycopy(packet, 0, buf, OFF, packet.length);
    return buf;
  }

  @Test
  void senderReportFixtureParses() {
    byte[] buf = at(RtcpFixtures.senderReport());
    assertEquals(RtcpDropReason.OK, SenderReportParser.validate(buf, OFF, 52));
    assertEquals(0x12345678, SenderReportParser.senderSsrc(buf, OFF));
    assertEquals(0xE65A3B10_80000000L, SenderReportParser.ntpTimestamp(buf, OFF));
    assertEquals(123456, SenderReportParser.rtpTimestamp(buf, OFF));
    assertEquals(1000, SenderReportParser.packetCount(buf, OFF));
    assertEquals(1_000_000, SenderReportParser.octetCount(buf, OFF));
    assertEquals(1, SenderReportParser.reportCount(buf, OFF));
    int block = SenderReportParser.reportBlockOffset(OFF, 0);
    assertEquals(0xCAFEBABE, ReportBlock.ssrc(buf, block));
    assertEquals(64, ReportBlock.fractionLost(buf, block));
    assertEquals(-2, ReportBlock.cumulativeLost(buf, block));
    assertEquals(0x0002_FFF0L, ReportBlock.extendedHighestSeq(buf, block));
    assertEquals(300, ReportBlock.jitter(buf, block));
    assertEquals(0x5A3B1080L, ReportBlock.lastSrNtp(buf, block));
    assertEquals(0x18000, ReportBlock.delaySinceLastSr(buf, block));
  }

  @Test
  void senderReportRoundTrip() {
    byte[] original = RtcpFixtures.senderReport();
    ReportBlock[] blocks = {new ReportBlock().readFrom(original, SenderReportParser.reportBlockOffset(0, 0))};
    byte[] out = new byte[128];
    int len =
        SenderReportEncoder.write(
            out,
            3,
            SenderReportParser.senderSsrc(original, 0),
            SenderReportParser.ntpTimestamp(original, 0),
            SenderReportParser.rtpTimestamp(original, 0),
            SenderReportParser.packetCount(original, 0),
            SenderReportParser.octetCount(original, 0),
            blocks,
            1);
    assertArrayEquals(original, slice(out, 3, len));
    assertEquals(RtcpDropReason.OK, SenderReportParser.validate(out, 3, len));
  }

  @Test
  void receiverReportFixtureAndRoundTrip() {
    byte[] original = RtcpFixtures.receiverReport();
    assertEquals(RtcpDropReason.OK, ReceiverReportParser.validate(original, 0, original.length));
    assertEquals(1, ReceiverReportParser.senderSsrc(original, 0));
    int block = ReceiverReportParser.reportBlockOffset(0, 0);
    ReportBlock rb = new ReportBlock().readFrom(original, block);
    assertEquals(0x11223344, rb.ssrc());
    assertEquals(5, rb.cumulativeLost());
    assertEquals(4096, rb.extendedHighestSeq());
    assertEquals(16, rb.jitter());
    byte[] out = new byte[64];
    int len = ReceiverReportEncoder.write(out, 0, 1, new ReportBlock[] {rb}, 1);
    assertArrayEquals(original, slice(out, 0, len));
  }

  @Test
  void emptyReceiverReportIsEightBytes() {
    byte[] out = new byte[8];
    assertEquals(8, ReceiverReportEncoder.write(out, 0, 42, new ReportBlock[0], 0));
    assertEquals(RtcpDropReason.OK, ReceiverReportParser.validate(out, 0, 8));
    assertEquals(0, ReceiverReportParser.reportCount(out, 0));
  }

  @Test
  void cumulativeLostIsSignedAndClampedTo24Bits() {
    byte[] out = new byte[24];
    ReportBlock rb = new ReportBlock();
    int[][] cases = {
      {-1, -1}, {0x7FFFFF, 0x7FFFFF}, {0x800000, 0x7FFFFF}, {-0x800000, -0x800000}, {-0x900000, -0x800000}, {Integer.MIN_VALUE, -0x800000}
    };
    for (int[] c : cases) {
      rb.set(1, 0, c[0], 0, 0, 0, 0).writeTo(out, 0);
      assertEquals(c[1], ReportBlock.cumulativeLost(out, 0), "input " + c[0]);
    }
  }

  @Test
  void fullReportRoundTripWith31Blocks() {
    ReportBlock[] blocks = new ReportBlock[31];
    for (int i = 0; i < 31; i++) {
      blocks[i] = new ReportBlock().set(i * 7919, i, -i * 1000, 0xFFFF_0000L + i, i * 3L, 0xDEADBEEFL, 65536L * i);
    }
    byte[] out = new byte[SenderReportEncoder.sizeBytes(31)];
    int len = SenderReportEncoder.write(out, 0, 9, -1L, -5, 0xFFFF_FFFFL, 0, blocks, 31);
    assertEquals(out.length, len);
    assertEquals(RtcpDropReason.OK, SenderReportParser.validate(out, 0, len));
    assertEquals(-1L, SenderReportParser.ntpTimestamp(out, 0));
    assertEquals(0xFFFF_FFFFL, SenderReportParser.packetCount(out, 0));
    ReportBlock back = new ReportBlock();
    for (int i = 0; i < 31; i++) {
      back.readFrom(out, SenderReportParser.reportBlockOffset(0, i));
      assertEquals(blocks[i].ssrc(), back.ssrc());
      assertEquals(blocks[i].fractionLost(), back.fractionLost());
      assertEquals(blocks[i].cumulativeLost(), back.cumulativeLost());
      assertEquals(blocks[i].extendedHighestSeq(), back.extendedHighestSeq());
      assertEquals(blocks[i].jitter(), back.jitter());
      assertEquals(blocks[i].lastSrNtp(), back.lastSrNtp());
      assertEquals(blocks[i].delaySinceLastSr(), back.delaySinceLastSr());
    }
  }

  @Test
  void reportCountBeyondBodyIsTruncated() {
    byte[] rr = RtcpFixtures.receiverReport();
    rr[0] = (byte) 0x82; // RC=2 but only one block present
    assertEquals(RtcpDropReason.TRUNCATED_BODY, ReceiverReportParser.validate(rr, 0, rr.length));
    byte[] sr = RtcpFixtures.senderReport();
    assertEquals(RtcpDropReason.WRONG_PACKET_TYPE, ReceiverReportParser.validate(sr, 0, sr.length));
  }

  @Test
  void sdesFixtureIteratesEveryItem() {
    byte[] buf = at(RtcpFixtures.sdes());
    SdesParser sdes = new SdesParser();
    assertEquals(RtcpDropReason.OK, sdes.reset(buf, OFF, 36));
    assertTrue(sdes.nextChunk());
    assertEquals(0x12345678, sdes.chunkSsrc());
    assertTrue(sdes.nextItem());
    assertEquals(SdesParser.ITEM_CNAME, sdes.itemType());
    assertArrayEquals(ascii("user@host"), slice(buf, sdes.itemOffset(), sdes.itemLength()));
    assertTrue(sdes.nextItem());
    assertEquals(SdesParser.ITEM_TOOL, sdes.itemType());
    assertArrayEquals(ascii("palco"), slice(buf, sdes.itemOffset(), sdes.itemLength()));
    assertFalse(sdes.nextItem());
    assertTrue(sdes.nextChunk());
    assertEquals(0xCAFEBABE, sdes.chunkSsrc());
    assertTrue(sdes.nextItem());
    assertArrayEquals(ascii("x"), slice(buf, sdes.itemOffset(), sdes.itemLength()));
    assertFalse(sdes.nextItem());
    assertFalse(sdes.nextChunk());
  }

  @Test
  void sdesNextChunkSkipsUnreadItems() {
    byte[] buf = RtcpFixtures.sdes();
    SdesParser sdes = new SdesParser();
    assertEquals(RtcpDropReason.OK, sdes.reset(buf, 0, buf.length));
    assertTrue(sdes.nextChunk());
    assertTrue(sdes.nextChunk());
    assertEquals(0xCAFEBABE, sdes.chunkSsrc());
    assertFalse(sdes.nextChunk());
  }

  @Test
  void sdesRoundTripThroughBuilder() {
    byte[] original = RtcpFixtures.sdes();
    SdesParser sdes = new SdesParser();
    assertEquals(RtcpDropReason.OK, sdes.reset(original, 0, original.length));
    byte[] out = new byte[64];
    SdesEncoder enc = new SdesEncoder().begin(out, 2);
    while (sdes.nextChunk()) {
      enc.chunk(sdes.chunkSsrc());
      while (sdes.nextItem()) {
        enc.item(sdes.itemType(), original, sdes.itemOffset(), sdes.itemLength());
      }
    }
    int len = enc.finish();
    assertArrayEquals(original, slice(out, 2, len));
  }

  @Test
  void cnameShortcutMatchesBuilderForEveryLength() {
    byte[] cname = new byte[255];
    for (int i = 0; i < cname.length; i++) {
      cname[i] = (byte) ('a' + i % 26);
    }
    byte[] a = new byte[300];
    byte[] b = new byte[300];
    SdesParser sdes = new SdesParser();
    for (int n = 0; n <= 255; n++) {
      int lenA = SdesEncoder.writeCname(a, 0, 77, cname, 0, n);
      int lenB = new SdesEncoder().begin(b, 0).chunk(77).item(SdesParser.ITEM_CNAME, cname, 0, n).finish();
      assertEquals(SdesEncoder.cnameSizeBytes(n), lenA);
      assertArrayEquals(slice(b, 0, lenB), slice(a, 0, lenA), "length " + n);
      assertEquals(0, lenA % 4);
      assertEquals(RtcpDropReason.OK, sdes.reset(a, 0, lenA));
      assertTrue(sdes.nextChunk());
      assertTrue(sdes.nextItem());
      assertEquals(n, sdes.itemLength());
    }
  }

  @Test
  void sdesChunkWithoutTerminatorIsDropped() {
    byte[] bad = RtcpTestBytes.bytes(
        0x81, 0xCA, 0x00, 0x02, // SC=1, SDES, 12 bytes
        0x00, 0x00, 0x00, 0x01, // SSRC
        0x01, 0x02, 'a', 'b'); // CNAME "ab" fills the chunk: no null octet left
    assertEquals(RtcpDropReason.BAD_SDES_CHUNK, new SdesParser().reset(bad, 0, bad.length));
  }

  @Test
  void byeFixtureAndRoundTrip() {
    byte[] original = RtcpFixtures.bye();
    assertEquals(RtcpDropReason.OK, ByeParser.validate(original, 0, original.length));
    assertEquals(1, ByeParser.ssrcCount(original, 0));
    assertEquals(0x12345678, ByeParser.ssrc(original, 0, 0));
    int reasonOff = ByeParser.reasonOffset(original, 0, original.length);
    int reasonLen = ByeParser.reasonLength(original, 0, original.length);
    assertArrayEquals(ascii("bye"), slice(original, reasonOff, reasonLen));
    byte[] out = new byte[32];
    int len = ByeEncoder.write(out, 0, new int[] {0x12345678}, 0, 1, original, reasonOff, reasonLen);
    assertArrayEquals(original, slice(out, 0, len));
  }

  @Test
  void byeWithoutReasonAndWithPaddedReason() {
    byte[] out = new byte[64];
    int len = ByeEncoder.write(out, 0, new int[] {1, 2, 3}, 0, 3, null, 0, 0);
    assertEquals(16, len);
    assertEquals(RtcpDropReason.OK, ByeParser.validate(out, 0, len));
    assertEquals(-1, ByeParser.reasonOffset(out, 0, len));
    assertEquals(3, ByeParser.ssrc(out, 0, 2));
    len = ByeEncoder.write(out, 0, new int[] {1}, 0, 1, ascii("leaving"), 0, 7);
    assertEquals(16, len); // 4 + 4 + (1 + 7 rounded to 8)
    assertEquals(7, ByeParser.reasonLength(out, 0, len));
    out[8] = 9; // reason length now runs past the packet
    assertEquals(RtcpDropReason.BAD_BYE_REASON, ByeParser.validate(out, 0, len));
  }
}
