package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6184, RFC 7741 and RFC 7587 frame assembly from byte fixtures. */
class DepacketizerTest {

  /** Runs one frame's payloads through a depacketizer. */
  static IngestDropReason assemble(Depacketizer d, EncodedFrame out, byte[]... payloads) {
    out.clear();
    d.begin(out);
    for (int i = 0; i < payloads.length; i++) {
      IngestDropReason r = d.append(payloads[i], 0, payloads[i].length, i == 0, out);
      if (r != IngestDropReason.OK) {
        return r;
      }
    }
    return d.end(out);
  }

  private static byte[] bytes(EncodedFrame f) {
    return Arrays.copyOf(f.data(), f.length());
  }

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  // ------------------------------------------------------------------ H.264

  /** RFC 6184 §5.7.1: a STAP-A with SPS and PPS, then an IDR slice in three FU-As (§5.8). */
  @Test
  void stapAAndFuABecomeOneAnnexBAccessUnit() {
    byte[] stap = b(
        0x78,             // STAP-A NAL header: F=0 NRI=3 type=24
        0x00, 0x04,       // NALU 1 size: 4
        0x67, 0x42, 0xC0, 0x1E, // SPS: header (NRI=3, type 7), profile_idc 66, constraints, level 30
        0x00, 0x02,       // NALU 2 size: 2
        0x68, 0xCE);      // PPS: header (NRI=3, type 8), one byte of data
    byte[] fuStart = b(
        0x7C,             // FU indicator: F=0 NRI=3 type=28
        0x85,             // FU header: S=1 E=0 R=0 type=5 (IDR slice)
        0x88, 0x84);      // slice data
    byte[] fuMiddle = b(
        0x7C,             // FU indicator
        0x05,             // FU header: S=0 E=0 type=5
        0x21, 0x22);      // slice data
    byte[] fuEnd = b(
        0x7C,             // FU indicator
        0x45,             // FU header: S=0 E=1 type=5
        0x33);            // slice data
    H264Depacketizer d = new H264Depacketizer();
    EncodedFrame out = new EncodedFrame();
    assertEquals(IngestDropReason.OK, assemble(d, out, stap, fuStart, fuMiddle, fuEnd));
    assertArrayEquals(b(
        0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E,       // SPS
        0, 0, 0, 1, 0x68, 0xCE,                   // PPS
        0, 0, 0, 1, 0x65, 0x88, 0x84, 0x21, 0x22, 0x33), // IDR rebuilt: F|NRI of the indicator + type 5
        bytes(out));
    assertTrue(out.keyframe());
    assertTrue(d.startsFrame(stap, 0, stap.length));
    assertTrue(d.startsFrame(fuStart, 0, fuStart.length));
    assertFalse(d.startsFrame(fuMiddle, 0, fuMiddle.length));
  }

  /** RFC 6184 §5.6: a single NAL unit packet is the NAL unit. */
  @Test
  void singleNalUnitPacket() {
    byte[] slice = b(
        0x41,             // F=0 NRI=2 type=1 (non-IDR slice)
        0x9A, 0x01, 0x02);
    EncodedFrame out = new EncodedFrame();
    assertEquals(IngestDropReason.OK, assemble(new H264Depacketizer(), out, slice));
    assertArrayEquals(b(0, 0, 0, 1, 0x41, 0x9A, 0x01, 0x02), bytes(out));
    assertFalse(out.keyframe());
  }

  static Stream<Arguments> brokenH264Frames() {
    byte[] fuStart = b(0x7C, 0x85, 0x01);   // FU-A S=1 type 5
    byte[] fuMiddle = b(0x7C, 0x05, 0x02);  // FU-A S=0 E=0
    byte[] fuEnd = b(0x7C, 0x45, 0x03);     // FU-A E=1
    byte[] single = b(0x41, 0x01);          // non-IDR slice
    return Stream.of(
        Arguments.of("FU-A middle without start", List.of(fuMiddle, fuEnd), IngestDropReason.FU_A_SEQUENCE),
        Arguments.of("FU-A end without start", List.of(fuEnd), IngestDropReason.FU_A_SEQUENCE),
        Arguments.of("FU-A start without end", List.of(fuStart, fuMiddle), IngestDropReason.FU_A_SEQUENCE),
        Arguments.of("two FU-A starts", List.of(fuStart, fuStart, fuEnd), IngestDropReason.FU_A_SEQUENCE),
        Arguments.of("a whole NAL inside a fragment", List.of(fuStart, single, fuEnd), IngestDropReason.FU_A_SEQUENCE),
        Arguments.of("FU-A with S and E", List.of(b(0x7C, 0xC5, 0x01)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("FU-A header only", List.of(b(0x7C)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("STAP-A size past the end", List.of(b(0x78, 0x00, 0x09, 0x67)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("STAP-A with no unit", List.of(b(0x78)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("NAL type 0", List.of(b(0x00, 0x01)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("FU-B", List.of(b(0x1D, 0x85, 0x00, 0x01)), IngestDropReason.MALFORMED_PAYLOAD),
        Arguments.of("empty", List.of(new byte[0]), IngestDropReason.MALFORMED_PAYLOAD));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenH264Frames")
  void brokenH264FramesAreDroppedWithAReason(String name, List<byte[]> payloads, IngestDropReason expected) {
    assertEquals(expected, assemble(new H264Depacketizer(), new EncodedFrame(), payloads.toArray(new byte[0][])));
  }

  @Test
  void theTestPacketizerRoundTripsAnAccessUnit() {
    byte[] sps = new byte[] {0x67, 0x42, (byte) 0xC0, 0x1E, 1, 2};
    byte[] pps = new byte[] {0x68, (byte) 0xCE, 0x3C};
    byte[] idr = new byte[5000];
    idr[0] = 0x65;
    for (int i = 1; i < idr.length; i++) {
      idr[i] = (byte) (i * 31 + 7);
    }
    byte[] annexB = concat(new byte[] {0, 0, 0, 1}, sps, new byte[] {0, 0, 0, 1}, pps, new byte[] {0, 0, 0, 1}, idr);
    List<byte[]> payloads = TestPacketizer.h264(annexB, 1200);
    assertEquals(24, payloads.get(0)[0] & 0x1F, "SPS and PPS aggregated");
    assertEquals(28, payloads.get(1)[0] & 0x1F, "the IDR fragmented");
    EncodedFrame out = new EncodedFrame();
    assertEquals(IngestDropReason.OK, assemble(new H264Depacketizer(), out, payloads.toArray(new byte[0][])));
    assertArrayEquals(annexB, bytes(out));
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  // ------------------------------------------------------------------ VP8

  /** RFC 7741 §4.2–4.4: descriptors stripped, data concatenated; the key frame bit from §4.3. */
  @Test
  void vp8DescriptorsAreStripped() {
    byte[] first = b(
        0x90,             // X=1 R=0 N=0 S=1 R=0 PID=0: start of the frame
        0x80,             // I=1 L=0 T=0 K=0
        0x81, 0x23,       // M=1, 15-bit picture ID 0x0123
        0x10, 0x02, 0x00, // payload header: P=0 (key frame), show, first partition size
        0x9D, 0x01, 0x2A, // start code
        0x40, 0x01, (byte) 0xB4, 0x00); // 320x180
    byte[] second = b(
        0x80,             // X=1 S=0 PID=0: a continuation
        0x80,             // I=1
        0x81, 0x23,       // same picture ID
        0x55, 0x66);      // data
    Vp8Depacketizer d = new Vp8Depacketizer();
    EncodedFrame out = new EncodedFrame();
    assertEquals(IngestDropReason.OK, assemble(d, out, first, second));
    assertArrayEquals(b(0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x40, 0x01, 0xB4, 0x00, 0x55, 0x66), bytes(out));
    assertTrue(out.keyframe());
    assertTrue(d.startsFrame(first, 0, first.length));
    assertFalse(d.startsFrame(second, 0, second.length));
    assertEquals(IngestDropReason.NOT_FRAME_START, assemble(d, out, second));
    assertEquals(IngestDropReason.MALFORMED_PAYLOAD, assemble(d, out, first, first));
    assertEquals(IngestDropReason.MALFORMED_PAYLOAD, assemble(d, out, b(0x90, 0x80)));
  }

  // ------------------------------------------------------------------ Opus

  /** RFC 7587 §4.2: one payload is one Opus packet, validated against RFC 6716 §3.4. */
  @Test
  void opusPacketsPassThroughWhenWellFormed() {
    byte[] code0 = b(
        0xFC,             // TOC: config 31 (CELT FB 20 ms), s=0, c=0: one frame
        0x01, 0x02, 0x03);
    EncodedFrame out = new EncodedFrame();
    OpusDepacketizer d = new OpusDepacketizer();
    assertEquals(IngestDropReason.OK, assemble(d, out, code0));
    assertArrayEquals(code0, bytes(out));
    byte[] code1 = b(
        0xFD,             // TOC: config 31, s=0, c=1: two frames of equal size
        0x01, 0x02);      // two bytes of data: one byte per frame
    assertEquals(IngestDropReason.OK, assemble(d, out, code1));
    assertEquals(IngestDropReason.MALFORMED_PAYLOAD, assemble(d, out, b(0xFD, 0x01, 0x02, 0x03)),
        "RFC 6716 §3.4 R3: an odd length cannot hold two equal frames");
    assertEquals(IngestDropReason.MALFORMED_PAYLOAD, assemble(d, out, new byte[0]));
  }
}
