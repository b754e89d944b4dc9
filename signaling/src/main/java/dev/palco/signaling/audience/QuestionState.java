package dev.palco.signaling.audience;

import java.util.Locale;

/** Where a question is in the moderator's queue. */
public enum QuestionState {
  /** Asked; only the moderators and its author see it. */
  PENDING,
  /** Approved: everyone sees it and may vote for it. */
  APPROVED,
  /** Hidden by a moderator: only the moderators (and its author) see it. */
  HIDDEN,
  /** Answered: everyone sees it, marked answered; votes are closed. */
  ANSWERED;

  /** The wire name ({@code pending}, {@code approved}, {@code hidden}, {@code answered}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the audience sees a question in this state. */
  public boolean isPublic() {
    return this == APPROVED || this == ANSWERED;
  }

  /** The state of a wire name, or {@code null}. */
  public static QuestionState fromWireName(String name) {
    for (QuestionState s : values()) {
      if (s.wireName().equals(name)) {
        return s;
      }
    }
    return null;
  }
}
