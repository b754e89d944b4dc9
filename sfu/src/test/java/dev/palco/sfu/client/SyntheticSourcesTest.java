package dev.palco.sfu.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpDropReason;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.OpusPayload;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The synthetic sources produce packets our own parsers accept, at the rates asked for. */
class SyntheticSourcesTest {

  @Test
  void videoFramesParseAsVp8AndHitTheBitrate() {
    SyntheticVideoSource video = new SyntheticVideoSource(
        0xCAFEBABEL, 96, 30, 1_000_000, 60, 1100, 640, 360, new SplittableRandom(7));
    RtpPacket rtp = new RtpPacket();
    Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    long[] bytes = {0};
    int[] lastSeq = {-1};
    int[] keyframes = {0};
    int[] pictureIds = {-1};
    for (int f = 0; f < 300; f++) {
      video.nextFrame((buf, off, len, bodyOffset) -> {
        assertEquals(RtpDropReason.OK, rtp.parse(buf, off, len));
        assertTrue(len <= RtpPacket.HEADER_SIZE_BYTES + 1100);
        if (lastSeq[0] >= 0) {
          assertEquals((lastSeq[0] + 1) & 0xFFFF, rtp.sequenceNumber());
        }
        lastSeq[0] = rtp.sequenceNumber();
        assertEquals(PayloadDropReason.OK, vp8.parse(buf, rtp.payloadOffset(), rtp.payloadLength()));
        assertEquals(15, vp8.pictureIdBits());
        if (vp8.startOfFrame()) {
          if (pictureIds[0] >= 0) {
            assertEquals((pictureIds[0] + 1) & 0x7FFF, vp8.pictureId());
          }
          pictureIds[0] = vp8.pictureId();
          if (vp8.keyframe()) {
            keyframes[0]++;
            assertEquals(640, vp8.keyframeWidthPx());
            assertEquals(360, vp8.keyframeHeightPx());
          }
        }
        assertTrue(SyntheticPayload.verify(buf, bodyOffset, off + len - bodyOffset));
        assertEquals(0xCAFEBABEL, SyntheticPayload.sourceId(buf, bodyOffset));
        bytes[0] += rtp.payloadLength();
      });
    }
    assertEquals(5, keyframes[0], "a keyframe every 60 frames over 300 frames");
    double bitrate = bytes[0] * 8.0 / 10.0;
    assertTrue(bitrate > 850_000 && bitrate < 1_150_000, "payload bitrate " + bitrate);
  }

  @Test
  void requestedKeyframeComesNext() {
    SyntheticVideoSource video = new SyntheticVideoSource(
        1, 96, 30, 500_000, 1000, 1100, 320, 180, new SplittableRandom(1));
    assertTrue(video.nextFrame((b, o, l, p) -> {}));
    assertFalse(video.nextFrame((b, o, l, p) -> {}));
    video.requestKeyframe();
    assertTrue(video.nextFrame((b, o, l, p) -> {}));
  }

  @Test
  void audioPacketsAreTwentyMillisecondOpus() {
    SyntheticAudioSource audio = new SyntheticAudioSource(42, 111, 80, new SplittableRandom(3));
    RtpPacket rtp = new RtpPacket();
    OpusPayload opus = new OpusPayload();
    long[] lastTs = {-1};
    for (int i = 0; i < 100; i++) {
      audio.nextPacket((buf, off, len, bodyOffset) -> {
        assertEquals(RtpDropReason.OK, rtp.parse(buf, off, len));
        assertEquals(80, rtp.payloadLength());
        assertEquals(PayloadDropReason.OK, opus.parse(buf, rtp.payloadOffset(), rtp.payloadLength()));
        assertEquals(960, OpusPayload.tocFrameSamples48k(opus.toc()));
        if (lastTs[0] >= 0) {
          assertEquals((lastTs[0] + 960) & 0xFFFF_FFFFL, rtp.timestamp());
        }
        lastTs[0] = rtp.timestamp();
        assertTrue(SyntheticPayload.verify(buf, bodyOffset, off + len - bodyOffset));
      });
    }
  }

  @Test
  void corruptedBodyFailsVerificationAndSendTimeRoundTrips() {
    byte[] body = new byte[100];
    SyntheticPayload.write(body, 0, 100, 0xFFFFFFFFL, 12345, 3, 9);
    SyntheticPayload.stampSendTime(body, 0, 0x0123456789ABCDEFL);
    assertTrue(SyntheticPayload.verify(body, 0, 100));
    assertEquals(0x0123456789ABCDEFL, SyntheticPayload.sendNanos(body, 0));
    assertEquals(0xFFFFFFFFL, SyntheticPayload.sourceId(body, 0));
    assertEquals(12345, SyntheticPayload.frame(body, 0));
    assertEquals(3, SyntheticPayload.index(body, 0));
    assertEquals(9, SyntheticPayload.count(body, 0));
    body[77] ^= 1;
    assertFalse(SyntheticPayload.verify(body, 0, 100));
  }
}
