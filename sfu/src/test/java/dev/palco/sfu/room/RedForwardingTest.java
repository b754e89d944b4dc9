package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.OPUS_PT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.RedPayload;
import dev.palco.sfu.pipeline.DropReason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opus in RED (RFC 2198) through the real pipelines: a subscriber that agreed RED gets the
 * publisher's packets as they are (with its own numbers for RED and for the Opus blocks), one that
 * did not, and an in-process one, get the primary Opus block alone; the sequence stays gapless.
 */
class RedForwardingTest {
  private static final int RED_PT = 63;
  private static final long PUB_SSRC = 0x2222_0001L;
  private static final int PACKETS = 40;

  /** Opus at 111 wrapped in RED at 63, as a browser publishes it once RED leads the answer. */
  private static TrackParameters redAudio() {
    return new TrackParameters(TrackKind.AUDIO, "0",
        List.of(CodecParameters.opus(OPUS_PT), new CodecParameters("red", RED_PT, 48_000, -1, false, false, false)),
        MediaFixtures.EXTENSIONS, List.of(new TrackParameters.SsrcPair(PUB_SSRC, -1)), List.of(), false, "stream",
        "audio");
  }

  /** A subscriber's agreement: its Opus number, and its RED number or -1. */
  private static TrackParameters subscriberSide(int opusPt, int redPt) {
    List<CodecParameters> codecs = redPt < 0 ? List.of(CodecParameters.opus(opusPt))
        : List.of(CodecParameters.opus(opusPt), new CodecParameters("red", redPt, 48_000, -1, false, false, false));
    return new TrackParameters(TrackKind.AUDIO, "0", codecs, MediaFixtures.EXTENSIONS, List.of(), List.of(), false,
        "stream", "audio");
  }

  /** The Opus packet (a TOC byte and frame data) of packet {@code i}. */
  private static byte[] opus(int i) {
    byte[] p = new byte[20 + i % 7];
    p[0] = (byte) 0x78; // config 15 (hybrid FB 20 ms), mono, one frame
    for (int k = 1; k < p.length; k++) {
      p[k] = (byte) (i * 31 + k);
    }
    return p;
  }

  /** RFC 2198 §3: one redundant block (the previous packet, 960 samples earlier), then the primary. */
  private static byte[] red(int i) {
    byte[] previous = opus(i - 1);
    byte[] primary = opus(i);
    byte[] out = new byte[4 + 1 + previous.length + primary.length];
    out[0] = (byte) (0x80 | OPUS_PT);
    out[1] = (byte) (960 >>> 6);
    out[2] = (byte) (((960 & 0x3F) << 2) | (previous.length >>> 8));
    out[3] = (byte) previous.length;
    out[4] = (byte) OPUS_PT;
    System.arraycopy(previous, 0, out, 5, previous.length);
    System.arraycopy(primary, 0, out, 5 + previous.length, primary.length);
    return out;
  }

  @Test
  void eachSubscriberGetsRedOrItsPrimaryInItsOwnNumbersWithoutAGap() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TestPeer carol = h.join("carol");
      TestPeer dave = h.join("dave");
      TestPeer erin = h.join("erin");
      LocalSubscriberTest.RecordingLocalTransport local = new LocalSubscriberTest.RecordingLocalTransport();
      Participant bridge = h.room.join("bridge", local);
      TrackPublication mic = alice.participant.publish(redAudio());
      TrackSubscription toBob = bob.participant.subscribe(mic); // agreed as published: RED 63, Opus 111
      TrackSubscription toCarol = carol.participant.subscribe(mic);
      toCarol.applyNegotiation(subscriberSide(OPUS_PT, -1)); // no RED
      TrackSubscription toDave = dave.participant.subscribe(mic);
      toDave.applyNegotiation(subscriberSide(109, 100)); // RED, other numbers
      TrackSubscription toErin = erin.participant.subscribe(mic);
      toErin.applyNegotiation(subscriberSide(109, -1)); // no RED, another Opus number
      bridge.subscribe(mic);

      for (int i = 1; i <= PACKETS; i++) {
        alice.sendRtp(MediaFixtures.rtp(RED_PT, 1000 + i, 960L * i, PUB_SSRC, false, "0", null, false, i, red(i)));
      }

      RedPayload view = new RedPayload();
      List<byte[]> atBob = bob.rtpWithSsrc(toBob.ssrc());
      List<byte[]> atCarol = carol.rtpWithSsrc(toCarol.ssrc());
      List<byte[]> atDave = dave.rtpWithSsrc(toDave.ssrc());
      List<byte[]> atErin = erin.rtpWithSsrc(toErin.ssrc());
      for (List<byte[]> got : List.of(atBob, atCarol, atDave, atErin, local.packets)) {
        assertEquals(PACKETS, got.size());
        int firstSeq = RtpPacket.sequenceNumber(got.get(0), 0);
        long firstTs = RtpPacket.timestamp(got.get(0), 0);
        for (int k = 0; k < got.size(); k++) {
          assertEquals((firstSeq + k) & 0xFFFF, RtpPacket.sequenceNumber(got.get(k), 0), "gapless");
          assertEquals((firstTs + 960L * k) & 0xFFFF_FFFFL, RtpPacket.timestamp(got.get(k), 0),
              "the RED timestamp is the primary's (RFC 2198 §3)");
        }
      }
      assertEquals(PACKETS, toBob.redPassedThrough());
      assertEquals(PACKETS, toDave.redPassedThrough());
      assertEquals(PACKETS, toCarol.redUnwrapped());
      assertEquals(0, toCarol.redPassedThrough());
      for (int k = 0; k < PACKETS; k++) {
        int i = k + 1;
        // Bob: byte for byte what Alice sent.
        assertEquals(RED_PT, RtpPacket.payloadType(atBob.get(k), 0));
        assertArrayEquals(red(i), MediaFixtures.payloadOf(atBob.get(k)));
        // Carol and the bridge: the primary Opus packet alone, as Opus.
        for (byte[] bare : List.of(atCarol.get(k), local.packets.get(k))) {
          assertEquals(OPUS_PT, RtpPacket.payloadType(bare, 0));
          assertArrayEquals(opus(i), MediaFixtures.payloadOf(bare));
          assertFalse(RtpPacket.hasPadding(bare, 0));
        }
        // Dave: RED in his numbers, the blocks renumbered to his Opus, the data untouched.
        byte[] daves = MediaFixtures.payloadOf(atDave.get(k));
        assertEquals(100, RtpPacket.payloadType(atDave.get(k), 0));
        assertEquals(PayloadDropReason.OK, view.parse(daves, 0, daves.length));
        assertEquals(1, view.redundantBlocks());
        assertEquals(109, view.redundantPayloadType(0));
        assertEquals(109, view.primaryPayloadType());
        assertEquals(960, view.redundantTimestampOffset(0));
        assertArrayEquals(opus(i - 1), Arrays.copyOfRange(daves, view.redundantOffset(0),
            view.redundantOffset(0) + view.redundantLength(0)));
        assertArrayEquals(opus(i), Arrays.copyOfRange(daves, view.primaryOffset(), daves.length));
        // Erin: the primary alone, in her Opus number.
        assertEquals(109, RtpPacket.payloadType(atErin.get(k), 0));
        assertArrayEquals(opus(i), MediaFixtures.payloadOf(atErin.get(k)));
      }
    }
  }

  @Test
  void aMalformedRedPacketIsCountedAndDroppedForThoseWhoNeedItsBlocks() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TestPeer carol = h.join("carol");
      TrackPublication mic = alice.participant.publish(redAudio());
      TrackSubscription toBob = bob.participant.subscribe(mic);
      TrackSubscription toCarol = carol.participant.subscribe(mic);
      toCarol.applyNegotiation(subscriberSide(OPUS_PT, -1));

      alice.sendRtp(MediaFixtures.rtp(RED_PT, 1, 960L, PUB_SSRC, false, "0", null, false, 1, red(1)));
      // A redundant block longer than the packet (RFC 2198 §3 lengths are not checked by anyone
      // upstream), then an empty primary: neither gives Carol an Opus packet.
      byte[] overrun = red(2);
      overrun[3] = (byte) 0xFF;
      overrun[2] |= 0x03;
      alice.sendRtp(MediaFixtures.rtp(RED_PT, 2, 960L * 2, PUB_SSRC, false, "0", null, false, 2, overrun));
      byte[] emptyPrimary = Arrays.copyOf(red(3), 5 + opus(2).length);
      alice.sendRtp(MediaFixtures.rtp(RED_PT, 3, 960L * 3, PUB_SSRC, false, "0", null, false, 3, emptyPrimary));
      alice.sendRtp(MediaFixtures.rtp(RED_PT, 4, 960L * 4, PUB_SSRC, false, "0", null, false, 4, red(4)));

      // Bob, who agreed RED, gets all four as they are: the SFU does not read them for him.
      assertEquals(4, bob.rtpWithSsrc(toBob.ssrc()).size());
      List<byte[]> atCarol = carol.rtpWithSsrc(toCarol.ssrc());
      assertEquals(2, atCarol.size());
      assertArrayEquals(opus(1), MediaFixtures.payloadOf(atCarol.get(0)));
      assertArrayEquals(opus(4), MediaFixtures.payloadOf(atCarol.get(1)));
      assertEquals(1L, carol.participant.stats().drops().get(DropReason.MALFORMED_RED));
      assertEquals(1L, carol.participant.stats().drops().get(DropReason.PADDING_ONLY));
    }
  }
}
