package dev.palco.sfu.speaker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Scripted level traces: one RFC 6464 level per participant every 20 ms (Opus packet time),
 * the detector's process() every 100 ms, time in ms from a counter (no clock, no sleeps).
 */
class DominantSpeakerDetectorTest {
  private static final int PACKET_MS = 20;

  /** What a participant sends at a given time: a -dBov level and the V flag. */
  @FunctionalInterface
  private interface Voice {
    /** Returns level | (V ? 0x80 : 0), RFC 6464's byte layout. */
    int at(long ms);
  }

  private final SplittableRandom random = new SplittableRandom(6464);
  private final List<String> events = new ArrayList<>();
  private final List<Long> eventTimes = new ArrayList<>();
  private final DominantSpeakerDetector detector =
      new DominantSpeakerDetector(SpeakerDetectorConfig.DEFAULT, (id, prev, now) -> {
        events.add(id);
        eventTimes.add(now);
      });

  /** Speech: words of 450 ms at -25..-35 dBov with V, separated by 150 ms gaps of room noise. */
  private Voice talking(long fromMs, long toMs) {
    Voice quiet = room();
    return ms -> {
      if (ms < fromMs || ms >= toMs || (ms - fromMs) % 600 >= 450) {
        return quiet.at(ms);
      }
      return 0x80 | (25 + random.nextInt(11));
    };
  }

  /** A quiet room: -75..-80 dBov, no voice. */
  private Voice room() {
    return ms -> 75 + random.nextInt(6);
  }

  private void play(long fromMs, long toMs, int[] slots, Voice[] voices) {
    for (long ms = fromMs; ms < toMs; ms += PACKET_MS) {
      for (int i = 0; i < slots.length; i++) {
        int b = voices[i].at(ms);
        detector.onAudioLevel(slots[i], b & 0x7F, (b & 0x80) != 0, ms);
      }
      if (ms % 100 == 0) {
        detector.process(ms);
      }
    }
  }

  private long firstEventAfter(String id, long ms) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).equals(id) && eventTimes.get(i) >= ms) {
        return eventTimes.get(i);
      }
    }
    return -1;
  }

  @Test
  void twoSpeakersTakingTurnsSwitchAboutOneSecondAfterEachStarts() {
    int a = detector.addParticipant("a");
    int b = detector.addParticipant("b");
    int c = detector.addParticipant("c");
    Voice va = talking(0, 5_000);
    Voice vb = talking(5_000, 10_000);
    Voice va2 = talking(10_000, 15_000);
    play(0, 15_000, new int[] {a, b, c},
        new Voice[] {ms -> ms < 10_000 ? va.at(ms) : va2.at(ms), vb, room()});
    assertEquals(List.of("a", "b", "a"), events);
    long first = firstEventAfter("a", 0);
    long toB = firstEventAfter("b", 5_000) - 5_000;
    long backToA = firstEventAfter("a", 10_000) - 10_000;
    System.out.printf(
        "speaker: first speaker after %d ms; takeover after a turn change %d ms and %d ms%n",
        first, toB, backToA);
    // Cold start: the noise floor is learnt from the first packets, which here are already speech,
    // so the first word only counts once a pause has shown the floor.
    assertTrue(first <= 2_000, "first " + first);
    assertTrue(toB >= 700 && toB <= 1_600, "to b " + toB);
    assertTrue(backToA >= 700 && backToA <= 1_600, "back to a " + backToA);
    assertEquals("a", detector.dominantSpeakerId());
  }

  @Test
  void backgroundNoiseNeverTakesOverEvenWithABrokenVoiceFlag() {
    int a = detector.addParticipant("a");
    int fan = detector.addParticipant("fan");
    int street = detector.addParticipant("street");
    Voice va = talking(2_000, 6_000);
    play(0, 20_000, new int[] {a, fan, street}, new Voice[] {
        va,
        ms -> 0x80 | (40 + random.nextInt(5)),                 // loud steady fan, V always set
        ms -> (random.nextInt(10) < 3 ? 0x80 : 0) | (55 + random.nextInt(8)) // noisy street, VAD flickering
    });
    assertEquals(List.of("a"), events, "only the talker ever became dominant");
    assertTrue(detector.noiseFloorDb(fan) >= 127 - 45, "the fan sank into its noise floor");
  }

  @Test
  void shortCoughsDoNotSwitch() {
    int a = detector.addParticipant("a");
    int b = detector.addParticipant("b");
    Voice va = talking(0, 20_000);
    Voice quietB = room();
    // b coughs for 300 ms every 2.5 s, louder than a's speech; some coughs land in a's pauses.
    Voice cough = ms -> (ms % 2_500) < 300 && ms > 2_000 ? 0x80 | (5 + random.nextInt(5)) : quietB.at(ms);
    play(0, 20_000, new int[] {a, b}, new Voice[] {va, cough});
    assertEquals(List.of("a"), events);
    // Even when a falls silent, b's coughs alone do not take the floor.
    Voice silentA = room();
    play(20_000, 30_000, new int[] {a, b}, new Voice[] {silentA, cough});
    assertEquals(List.of("a"), events);
  }

  @Test
  void speakingOrderListsTheMostRecentDominantSpeakersFirst() {
    int a = detector.addParticipant("a");
    int b = detector.addParticipant("b");
    int c = detector.addParticipant("c");
    int d = detector.addParticipant("d");
    String[] order = new String[4];
    assertEquals(4, detector.speakingOrder(order));
    assertArrayEquals(new String[] {"a", "b", "c", "d"}, order, "join order before anyone spoke");
    assertNull(detector.dominantSpeakerId());
    play(0, 9_000, new int[] {a, b, c, d},
        new Voice[] {talking(0, 3_000), talking(3_000, 6_000), talking(6_000, 9_000), room()});
    assertEquals(List.of("a", "b", "c"), events);
    detector.speakingOrder(order);
    assertArrayEquals(new String[] {"c", "b", "a", "d"}, order);
    String[] two = new String[2];
    assertEquals(2, detector.speakingOrder(two));
    assertArrayEquals(new String[] {"c", "b"}, two);
  }

  /**
   * The order version, which lets each subscriber's allocation skip copying an unchanged order,
   * moves exactly when the order can change: a join, a leave, a new dominant speaker. Levels that
   * change nothing leave it alone.
   */
  @Test
  void orderVersionMovesExactlyWhenTheSpeakingOrderCan() {
    long v0 = detector.orderVersion();
    int a = detector.addParticipant("a");
    long v1 = detector.orderVersion();
    assertTrue(v1 != v0, "a join");
    int b = detector.addParticipant("b");
    long v2 = detector.orderVersion();
    assertTrue(v2 != v1, "a second join");
    play(0, 400, new int[] {a, b}, new Voice[] {room(), room()});
    assertEquals(v2, detector.orderVersion(), "noise changes no order");
    play(400, 3_000, new int[] {a, b}, new Voice[] {talking(400, 3_000), room()});
    assertEquals(List.of("a"), events);
    long v3 = detector.orderVersion();
    assertTrue(v3 != v2, "a new dominant speaker");
    play(3_000, 3_600, new int[] {a, b}, new Voice[] {talking(3_000, 3_600), room()});
    assertEquals(v3, detector.orderVersion(), "the same speaker going on changes no order");
    detector.removeParticipant(b);
    assertTrue(detector.orderVersion() != v3, "a leave");
  }

  @Test
  void withoutTheVoiceFlagTheNoiseFloorAloneSeparatesSpeechFromNoise() {
    DominantSpeakerDetector noVad = new DominantSpeakerDetector(
        new SpeakerDetectorConfig(70, 10.0, false, 0.5, 1.2, 500), null);
    int a = noVad.addParticipant("a");
    int fan = noVad.addParticipant("fan");
    Voice va = talking(3_000, 8_000);
    String dominantAt = null;
    for (long ms = 0; ms < 8_000; ms += PACKET_MS) {
      int la = va.at(ms);
      noVad.onAudioLevel(a, la & 0x7F, false, ms);                // V never set
      noVad.onAudioLevel(fan, 45 + random.nextInt(4), false, ms); // steady noise
      if (ms % 100 == 0 && noVad.process(ms)) {
        dominantAt = noVad.dominantSpeakerId() + "@" + ms;
      }
    }
    assertEquals("a", noVad.dominantSpeakerId());
    assertTrue(dominantAt != null && dominantAt.startsWith("a@"), dominantAt);
  }

  @Test
  void removingTheDominantSpeakerLeavesTheFloorOpenAndSlotsAreReused() {
    int a = detector.addParticipant("a");
    int b = detector.addParticipant("b");
    play(0, 3_000, new int[] {a, b}, new Voice[] {talking(0, 3_000), room()});
    assertEquals("a", detector.dominantSpeakerId());
    detector.removeParticipant(a);
    assertNull(detector.dominantSpeakerId());
    int e = detector.addParticipant("e");
    assertEquals(a, e, "the freed slot is reused");
    play(3_000, 6_000, new int[] {e, b}, new Voice[] {room(), talking(3_000, 6_000)});
    assertEquals("b", detector.dominantSpeakerId());
    String[] order = new String[3];
    assertEquals(2, detector.speakingOrder(order));
    assertEquals(Arrays.asList("b", "e", null), Arrays.asList(order));
  }

  @Test
  void levelsAreTakenWithoutAllocating() {
    int[] slots = new int[10];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = detector.addParticipant("p" + i);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = 0;
    for (int round = 0; round < 3; round++) {
      if (round == 2) {
        before = threads.getCurrentThreadAllocatedBytes();
      }
      for (long ms = round * 60_000L; ms < (round + 1) * 60_000L; ms += PACKET_MS) {
        for (int s : slots) {
          detector.onAudioLevel(s, (int) ((ms / 1000 + s) % 100), (ms / 700 + s) % 3 == 0, ms);
        }
        if (ms % 100 == 0) {
          detector.process(ms);
        }
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 4096 + 64L * events.size(), allocated + " bytes for 30,000 levels");
  }
}
