package dev.palco.sfu.speaker;

/** Told when the room's dominant speaker changes (called from the thread running process). */
@FunctionalInterface
public interface DominantSpeakerListener {
  /**
   * @param participantId the new dominant speaker
   * @param previousId the previous one, or null
   * @param nowMs the time of the decision
   */
  void onDominantSpeakerChanged(String participantId, String previousId, long nowMs);
}
