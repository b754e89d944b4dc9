package dev.palco.signaling.audience;

/** One audience question. Mutable fields are guarded by the owning room's lock. */
final class Question {
  final String id;
  final String viewerId;
  final String name;
  final String text;
  final long askedAtMillis;
  int votes;
  QuestionState state;
  /**
   * Whether the audience may have seen it (in an update or a state frame): only then does its
   * leaving the public list need announcing.
   */
  boolean shownPublicly;

  Question(String id, String viewerId, String name, String text, long askedAtMillis, QuestionState state) {
    this.id = id;
    this.viewerId = viewerId;
    this.name = name;
    this.text = text;
    this.askedAtMillis = askedAtMillis;
    this.state = state;
  }
}
