package dev.palco.sfu.speaker;

/**
 * Tuning of a {@link DominantSpeakerDetector}.
 *
 * @param maxSpeechLevelDbov a packet quieter than this (-dBov, RFC 6464: larger is quieter) is
 *     never speech, whatever its V flag
 * @param minSnrDb a packet must be this far above the participant's noise floor to count
 * @param useVoiceFlag whether the V flag is trusted (negotiated with {@code vad=on}); when not,
 *     level and noise floor alone decide
 * @param minActiveFraction share of the last second's packets that must be speech for a
 *     challenger to qualify: a cough or a slammed door fills a fraction of it
 * @param takeoverRatio a challenger's one-second score must exceed the dominant speaker's times
 *     this
 * @param takeoverHoldMs how long a challenger must keep qualifying before it takes over
 */
public record SpeakerDetectorConfig(
    int maxSpeechLevelDbov,
    double minSnrDb,
    boolean useVoiceFlag,
    double minActiveFraction,
    double takeoverRatio,
    long takeoverHoldMs) {

  /** -70 dBov, 10 dB over the floor, V trusted, 50% active, 1.2× louder, held 500 ms. */
  public static final SpeakerDetectorConfig DEFAULT =
      new SpeakerDetectorConfig(70, 10.0, true, 0.5, 1.2, 500);
}
