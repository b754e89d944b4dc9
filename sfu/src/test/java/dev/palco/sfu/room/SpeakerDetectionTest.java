package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.palco.rtp.AudioLevelExtension;
import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The room's dominant speaker follows the RFC 6464 audio levels publishers put in their Opus
 * packets, through the real receive pipeline, with the media timer on a manual clock.
 */
class SpeakerDetectionTest {
  private static final long ALICE_SSRC = 0x1111_0001L;
  private static final long BOB_SSRC = 0x2222_0001L;
  /** -dBov levels: speech well above a quiet room, and the quiet room. */
  private static final int LOUD = 20;
  private static final int QUIET = 90;

  /** One 20 ms Opus packet with the client-to-mixer audio level extension (RFC 6464 §3). */
  private static byte[] opus(int seq, long ssrc, int levelMinusDbov, boolean voice) {
    byte[] payload = {(byte) 0x78, 1, 2, 3, 4, 5, 6, 7};
    byte[] buf = new byte[RtpPacket.HEADER_SIZE_BYTES + 32 + payload.length];
    int len = RtpPacket.writeFixedHeader(buf, 0, false, MediaFixtures.OPUS_PT, seq, seq * 960L, ssrc);
    System.arraycopy(payload, 0, buf, len, payload.length);
    len += payload.length;
    byte[] value = new byte[1];
    AudioLevelExtension.write(value, 0, voice, levelMinusDbov);
    len = RtpHeaderExtensions.add(buf, 0, len, buf.length, MediaFixtures.AUDIO_LEVEL_ID, value, 0, 1);
    return Arrays.copyOf(buf, len);
  }

  /** Both speak for {@code ms} at the given levels, a packet each per 20 ms, timers every 10 ms. */
  private static int talk(SfuHarness h, TestPeer alice, int aliceLevel, TestPeer bob, int bobLevel, int seq,
      long ms) {
    for (long t = 0; t < ms; t += 20) {
      alice.sendRtp(opus(seq, ALICE_SSRC, aliceLevel, aliceLevel == LOUD));
      bob.sendRtp(opus(seq, BOB_SSRC, bobLevel, bobLevel == LOUD));
      seq++;
      h.advance(10);
      h.advance(10);
    }
    return seq;
  }

  private static List<String> speakerEvents(SfuHarness h) {
    return h.events().stream().filter(e -> e.startsWith("speaker ")).toList();
  }

  @Test
  void theDominantSpeakerFollowsWhoTalksWithHysteresis() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      alice.participant.publish(MediaFixtures.audio("0", ALICE_SSRC));
      bob.participant.publish(MediaFixtures.audio("0", BOB_SSRC));
      assertNull(h.room.dominantSpeakerId(), "nobody has spoken");

      // Both quiet: the noise floors settle, nobody becomes dominant.
      int seq = talk(h, alice, QUIET, bob, QUIET, 1, 1_000);
      assertEquals(List.of(), speakerEvents(h));

      // Alice talks: she becomes dominant within about a second and a half.
      seq = talk(h, alice, LOUD, bob, QUIET, seq, 1_500);
      assertEquals(List.of("speaker alice after null"), speakerEvents(h));
      assertEquals("alice", h.room.dominantSpeakerId());

      // A cough from Bob (200 ms) changes nothing.
      seq = talk(h, alice, QUIET, bob, LOUD, seq, 200);
      seq = talk(h, alice, QUIET, bob, QUIET, seq, 1_000);
      assertEquals("alice", h.room.dominantSpeakerId(), "a short burst does not take over");

      // Bob talks on: he takes over, once.
      seq = talk(h, alice, QUIET, bob, LOUD, seq, 2_000);
      assertEquals(List.of("speaker alice after null", "speaker bob after alice"), speakerEvents(h));
      assertEquals(List.of("bob", "alice"), h.room.speakingOrder());

      // Bob leaves: he is out of the detector and the order.
      bob.participant.leave();
      for (int i = 0; i < 10; i++) {
        alice.sendRtp(opus(seq++, ALICE_SSRC, QUIET, false));
        h.advance(20);
      }
      assertEquals(List.of("alice"), h.room.speakingOrder());
      assertEquals(2, speakerEvents(h).size(), "no event for a speaker who left");
    }
  }
}
