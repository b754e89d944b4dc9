package dev.palco.sfu.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the captured SDP fixtures (see src/test/resources/dev/palco/sfu/sdp/README.md). */
final class Fixtures {
  private Fixtures() {}

  /** Every captured Chromium offer. */
  static final List<String> CHROMIUM_OFFERS = List.of(
      "chromium156-sendonly-offer.sdp",
      "chromium156-sendonly-offer-gathered.sdp",
      "chromium156-simulcast-offer.sdp",
      "chromium156-simulcast-offer-gathered.sdp",
      "chromium156-addtrack-datachannel-offer.sdp",
      "chromium156-addtrack-datachannel-offer-gathered.sdp",
      "interop-chromium156-publish-offer.sdp");

  /** What a WHEP player offers: Chromium's recvonly audio and video transceivers. */
  static final List<String> CHROMIUM_PLAYER_OFFERS = List.of(
      "chromium156-recvonly-offer.sdp",
      "chromium156-recvonly-offer-gathered.sdp");

  /** Every fixture: the offers, plus the SFU offer and the real Chromium answer to it. */
  static final List<String> ALL = List.of(
      "chromium156-recvonly-offer.sdp",
      "chromium156-recvonly-offer-gathered.sdp",
      "chromium156-sendonly-offer.sdp",
      "chromium156-sendonly-offer-gathered.sdp",
      "chromium156-simulcast-offer.sdp",
      "chromium156-simulcast-offer-gathered.sdp",
      "chromium156-addtrack-datachannel-offer.sdp",
      "chromium156-addtrack-datachannel-offer-gathered.sdp",
      "interop-chromium156-publish-offer.sdp",
      "interop-sfu-offer-a1-v1.sdp",
      "interop-chromium156-answer-to-sfu-offer.sdp");

  static String load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
