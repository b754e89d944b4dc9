package dev.palco.sfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of real descriptions fed through parsing and negotiation: each must end in a result
 * or an {@link SdpException}, never another exception and never a hang. Reproducible: a failure
 * names the iteration, and the seed is fixed.
 */
class SdpBadInputTest {

  private static final long SEED = 0x5D9_2026L;
  private static final int OFFER_MUTATIONS = 100_000;
  private static final int ANSWER_MUTATIONS = 20_000;

  /** Replacement fields that stress number parsing and token checks. */
  private static final String[] NASTY_FIELDS = {
    "", " ", "0", "-1", "65536", "128", "4294967296", "99999999999999999999999", "x", ":", "=", "/", ";",
    "\0", "\u00e9", "\uD83D\uDE00", "a=", "m=video", "typ", "apt=", "*", "~", ",", "9 IN IP4", "UDP/TLS/RTP/SAVPF",
  };

  /** Characters a byte-level flip may put in. */
  private static final String ALPHABET = "v=oa:m 0123456789\r\n/;,.-_~*\0\u00ffAZaz";

  /** Splits on CRLF once, without a regular expression. */
  static String[] lines(String text) {
    List<String> out = new ArrayList<>();
    int pos = 0;
    for (int crlf; (crlf = text.indexOf("\r\n", pos)) >= 0; pos = crlf + 2) {
      out.add(text.substring(pos, crlf));
    }
    out.add(text.substring(pos));
    return out.toArray(new String[0]);
  }

  static String mutate(String[] base, List<String[]> donors, SplittableRandom rnd) {
    List<String> lines = new ArrayList<>(Arrays.asList(base));
    int rounds = 1 + rnd.nextInt(3);
    StringBuilder text = null;
    for (int r = 0; r < rounds; r++) {
      int n = lines.size();
      int i = rnd.nextInt(n);
      switch (rnd.nextInt(10)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, lines.get(rnd.nextInt(n)));
        case 2 -> {
          int j = rnd.nextInt(n);
          String t = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, t);
        }
        case 3 -> { // replace one space-separated field of a line
          String[] f = lines.get(i).split(" ", -1); // one-char split: no regular expression
          f[rnd.nextInt(f.length)] = NASTY_FIELDS[rnd.nextInt(NASTY_FIELDS.length)];
          lines.set(i, String.join(" ", f));
        }
        case 4 -> { // flip characters inside a line
          StringBuilder sb = new StringBuilder(lines.get(i));
          for (int k = 0, flips = 1 + rnd.nextInt(4); k < flips && sb.length() > 0; k++) {
            sb.setCharAt(rnd.nextInt(sb.length()), ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
          }
          lines.set(i, sb.toString());
        }
        case 5 -> { // splice a line from another description
          String[] d = donors.get(rnd.nextInt(donors.size()));
          lines.add(i, d[rnd.nextInt(d.length)]);
        }
        case 6 -> { // cut a line short
          String l = lines.get(i);
          lines.set(i, l.substring(0, l.isEmpty() ? 0 : rnd.nextInt(l.length())));
        }
        case 7 -> { // value repeated: long lines
          String l = lines.get(i);
          lines.set(i, l + l.substring(Math.min(2, l.length())).repeat(1 + rnd.nextInt(50)));
        }
        case 8 -> { // colon or space removed or doubled
          String l = lines.get(i);
          int at = l.indexOf(rnd.nextBoolean() ? ':' : ' ');
          lines.set(i, at < 0 ? l : rnd.nextBoolean() ? l.substring(0, at) + l.substring(at + 1)
              : l.substring(0, at + 1) + l.substring(at));
        }
        default -> { // truncate the whole text at a random point
          text = new StringBuilder(String.join("\r\n", lines));
          text.setLength(rnd.nextInt(text.length() + 1));
          return rnd.nextBoolean() ? text.toString() : text.toString().replace("\r\n", "\n");
        }
      }
      if (lines.isEmpty()) {
        return "";
      }
    }
    return String.join("\r\n", lines);
  }

  private static void run(String base, int count, long seed, Consumer<SessionDescription> negotiate, int[] outcome) {
    List<String[]> donors = new ArrayList<>();
    for (String f : Fixtures.ALL) {
      donors.add(lines(Fixtures.load(f)));
    }
    String[] baseLines = lines(base);
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int it = 0; it < count; it++) {
      String input = mutate(baseLines, donors, rnd);
      try {
        SessionDescription d = SessionDescription.parse(input);
        // A description that parses serialises to text that parses to the same description.
        String text = d.toSdp();
        assertEquals(text, SessionDescription.parse(text).toSdp());
        negotiate.accept(d);
        outcome[0]++;
      } catch (SdpException expected) {
        outcome[1]++;
      } catch (RuntimeException | AssertionError e) {
        fail("iteration " + it + " threw " + e + " for input:\n" + input, e);
      }
    }
  }

  @Test
  void mutatedChromiumOffersGiveAnAnswerOrAnSdpException() {
    String offer = Fixtures.load("interop-chromium156-publish-offer.sdp");
    AnswerBuilder answerer = TestTransports.answerBuilder(SfuCapabilities.defaults().withSimulcast(true));
    int[] outcome = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(120),
        () -> run(offer, OFFER_MUTATIONS, SEED, d -> answerer.answer(d).answer().toSdp(), outcome));
    assertEquals(OFFER_MUTATIONS, outcome[0] + outcome[1]);
    // Both paths are exercised: many mutations are harmless, many are refused.
    assertTrue(outcome[0] > OFFER_MUTATIONS / 20 && outcome[1] > OFFER_MUTATIONS / 20,
        () -> "answered " + outcome[0] + ", refused " + outcome[1]);
  }

  @Test
  void mutatedChromiumAnswersGiveAnAgreementOrAnSdpException() {
    SessionDescription offer = SessionDescription.parse(Fixtures.load("interop-sfu-offer-a1-v1.sdp"));
    String answer = Fixtures.load("interop-chromium156-answer-to-sfu-offer.sdp");
    OfferBuilder offerer = new OfferBuilder(SfuCapabilities.defaults(), TestTransports.SFU, new SplittableRandom(1));
    int[] outcome = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> run(answer, ANSWER_MUTATIONS, SEED + 1, d -> {
          NegotiatedSession s = offerer.acceptAnswer(offer, d);
          // The agreement feeds the next offer: that must hold up too.
          offerer.offer(offer, d, List.copyOf(s.outgoingTracksByMid().values()));
        }, outcome));
    assertEquals(ANSWER_MUTATIONS, outcome[0] + outcome[1]);
    assertTrue(outcome[0] > 0 && outcome[1] > 0, () -> "accepted " + outcome[0] + ", refused " + outcome[1]);
  }
}
