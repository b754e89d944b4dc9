package dev.palco.rtp.rtcp;

import static dev.palco.rtp.rtcp.RtcpTestBytes.bytes;
import static dev.palco.rtp.rtcp.RtcpTestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Compound packets (RFC 3550 §6.1 and Appendix A.2). */
class RtcpCompoundIteratorTest {

  @Test
  void iteratesSrSdesNackPliRembTwcc() {
    byte[] compound = concat(
        RtcpFixtures.senderReport(), RtcpFixtures.sdes(), RtcpFixtures.nack(), RtcpFixtures.pli(),
        RtcpFixtures.fir(), RtcpFixtures.remb(), RtcpFixtures.bye(), RtcpFixtures.twccPionExample4());
    byte[] buf = new byte[compound.length + 10];
    System.arraycopy(compound, 0, buf, 7, compound.length);
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    assertEquals(RtcpDropReason.OK, it.reset(buf, 7, compound.length));
    int[][] expected = {
      {200, 1, 52}, {202, 2, 36}, {205, 1, 20}, {206, 1, 12}, {206, 4, 20}, {206, 15, 24}, {203, 1, 12}, {205, 15, 32}
    };
    int offset = 7;
    for (int[] e : expected) {
      assertTrue(it.next());
      assertEquals(offset, it.offset());
      assertEquals(e[0], it.packetType());
      assertEquals(e[1], it.count());
      assertEquals(e[2], it.length());
      assertEquals(RtcpDropReason.OK, validateByType(buf, it.offset(), it.length()));
      offset += e[2];
    }
    assertFalse(it.next());
    assertFalse(it.next());
  }

  private static RtcpDropReason validateByType(byte[] buf, int off, int len) {
    int fmt = RtcpHeader.count(buf, off);
    return switch (RtcpHeader.packetType(buf, off)) {
      case RtcpHeader.PT_SR -> SenderReportParser.validate(buf, off, len);
      case RtcpHeader.PT_RR -> ReceiverReportParser.validate(buf, off, len);
      case RtcpHeader.PT_SDES -> SdesParser.validate(buf, off, len);
      case RtcpHeader.PT_BYE -> ByeParser.validate(buf, off, len);
      case RtcpHeader.PT_RTPFB -> fmt == RtcpFeedback.FMT_NACK
          ? NackParser.validate(buf, off, len) : TransportCcParser.validate(buf, off, len);
      case RtcpHeader.PT_PSFB -> fmt == RtcpFeedback.FMT_PLI ? PliParser.validate(buf, off, len)
          : fmt == RtcpFeedback.FMT_FIR ? FirParser.validate(buf, off, len) : RembParser.validate(buf, off, len);
      default -> RtcpDropReason.WRONG_PACKET_TYPE;
    };
  }

  @Test
  void everyTypeParserAcceptsItsPacketInsideACompound() {
    byte[] compound = concat(RtcpFixtures.receiverReport(), RtcpFixtures.sdes(), RtcpFixtures.nack(), RtcpFixtures.pli());
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    assertEquals(RtcpDropReason.OK, it.reset(compound, 0, compound.length));
    assertTrue(it.next());
    assertEquals(RtcpDropReason.OK, ReceiverReportParser.validate(compound, it.offset(), it.length()));
    assertTrue(it.next());
    assertEquals(RtcpDropReason.OK, new SdesParser().reset(compound, it.offset(), it.length()));
    assertTrue(it.next());
    assertEquals(RtcpDropReason.OK, NackParser.validate(compound, it.offset(), it.length()));
    assertEquals(6, NackParser.lostCount(compound, it.offset(), it.length()));
    assertTrue(it.next());
    assertEquals(RtcpDropReason.OK, PliParser.validate(compound, it.offset(), it.length()));
    assertFalse(it.next());
  }

  @Test
  void paddingOnTheLastPacketIsAccepted() {
    byte[] compound = concat(RtcpFixtures.receiverReport(), RtcpFixtures.twccPionExample6());
    assertEquals(RtcpDropReason.OK, RtcpCompoundIterator.validate(compound, 0, compound.length));
  }

  @Test
  void reusedIteratorForgetsThePreviousCompound() {
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    byte[] good = RtcpFixtures.pli();
    assertEquals(RtcpDropReason.OK, it.reset(good, 0, good.length));
    byte[] bad = bytes(0x40, 0xC9, 0x00, 0x00);
    assertEquals(RtcpDropReason.BAD_VERSION, it.reset(bad, 0, bad.length));
    assertFalse(it.next());
  }

  static Stream<Arguments> malformedCompounds() {
    return Stream.of(
        Arguments.of("empty", new byte[0], RtcpDropReason.TRUNCATED_HEADER),
        Arguments.of("three bytes", bytes(0x80, 0xC9, 0x00), RtcpDropReason.TRUNCATED_HEADER),
        Arguments.of("version 1", bytes(0x40, 0xC9, 0x00, 0x00), RtcpDropReason.BAD_VERSION),
        Arguments.of("version 3", bytes(0xC0, 0xC9, 0x00, 0x00), RtcpDropReason.BAD_VERSION),
        Arguments.of("length past the datagram", bytes(0x80, 0xC9, 0x00, 0x01, 0, 0, 0), RtcpDropReason.LENGTH_MISMATCH),
        Arguments.of("trailing partial header",
            concat(RtcpFixtures.pli(), bytes(0x80, 0xC9)), RtcpDropReason.TRUNCATED_HEADER),
        Arguments.of("second packet version 0",
            concat(RtcpFixtures.pli(), bytes(0x00, 0xC9, 0x00, 0x00)), RtcpDropReason.BAD_VERSION),
        Arguments.of("padding on the first of two",
            concat(bytes(0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 4), RtcpFixtures.pli()), RtcpDropReason.PADDING_NOT_LAST),
        Arguments.of("padding count 0", bytes(0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 0), RtcpDropReason.BAD_PADDING),
        Arguments.of("padding count eats the header", bytes(0xA0, 0xC9, 0x00, 0x01, 0, 0, 0, 5), RtcpDropReason.BAD_PADDING),
        Arguments.of("max length field, short datagram", bytes(0x80, 0xC8, 0xFF, 0xFF), RtcpDropReason.LENGTH_MISMATCH));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedCompounds")
  void malformedCompoundsAreDroppedWithAReason(String name, byte[] input, RtcpDropReason expected) {
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    assertEquals(expected, it.reset(input, 0, input.length));
    assertFalse(it.next(), "nothing is yielded from a dropped compound");
  }

  static Stream<Arguments> malformedTypePackets() {
    return Stream.of(
        Arguments.of("SR shorter than sender info", bytes(0x80, 0xC8, 0x00, 0x01, 0, 0, 0, 1), "sr", RtcpDropReason.TRUNCATED_BODY),
        Arguments.of("RR length field disagrees with view", bytes(0x80, 0xC9, 0x00, 0x02, 0, 0, 0, 1), "rr", RtcpDropReason.LENGTH_MISMATCH),
        Arguments.of("BYE SC beyond body", bytes(0x82, 0xCB, 0x00, 0x01, 0, 0, 0, 1), "bye", RtcpDropReason.TRUNCATED_BODY),
        Arguments.of("SDES chunk truncated", bytes(0x81, 0xCA, 0x00, 0x00), "sdes", RtcpDropReason.BAD_SDES_CHUNK),
        Arguments.of("NACK without SSRCs", bytes(0x81, 0xCD, 0x00, 0x01, 0, 0, 0, 1), "nack", RtcpDropReason.TRUNCATED_BODY),
        Arguments.of("NACK with PLI's FMT", bytes(0x82, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0), "nack", RtcpDropReason.WRONG_PACKET_TYPE),
        Arguments.of("FIR without entry", bytes(0x84, 0xCE, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0), "fir", RtcpDropReason.BAD_FCI_LENGTH),
        Arguments.of("REMB too short", bytes(0x8F, 0xCE, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B'), "remb", RtcpDropReason.BAD_REMB),
        Arguments.of("TWCC without its fixed part", bytes(0x8F, 0xCD, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1), "twcc", RtcpDropReason.TRUNCATED_BODY),
        Arguments.of("TWCC status vector with reserved symbol",
            bytes(0x8F, 0xCD, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0xF0, 0x00, 0, 0), "twcc", RtcpDropReason.TWCC_RESERVED_SYMBOL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTypePackets")
  void malformedTypePacketsAreDroppedWithAReason(String name, byte[] input, String parser, RtcpDropReason expected) {
    RtcpDropReason got = switch (parser) {
      case "sr" -> SenderReportParser.validate(input, 0, input.length);
      case "rr" -> ReceiverReportParser.validate(input, 0, input.length);
      case "bye" -> ByeParser.validate(input, 0, input.length);
      case "sdes" -> SdesParser.validate(input, 0, input.length);
      case "nack" -> NackParser.validate(input, 0, input.length);
      case "fir" -> FirParser.validate(input, 0, input.length);
      case "remb" -> RembParser.validate(input, 0, input.length);
      case "twcc" -> TransportCcParser.validate(input, 0, input.length);
      default -> throw new IllegalArgumentException(parser);
    };
    assertEquals(expected, got);
  }
}
