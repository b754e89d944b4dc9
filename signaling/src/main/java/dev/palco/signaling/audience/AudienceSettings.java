package dev.palco.signaling.audience;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The bounds and rules of the audience layer ({@code palco.audience} in the configuration).
 *
 * <p>Every collection a viewer can grow has a cap here, so memory per room is bounded whatever
 * the audience does: questions, chat history, raised hands, viewer sessions, bans.
 *
 * @param maxViewersPerRoom audience connections a room takes at once ({@code room-full} past it)
 * @param maxViewerSessionsPerRoom viewer sessions kept for resume and bans; past it the longest
 *     disconnected one is forgotten
 * @param maxQuestionsPerRoom questions kept; past it the oldest answered or hidden one goes, and if
 *     none can go a new question is refused with {@code limit-reached}
 * @param maxOpenQuestionsPerViewer questions one viewer may have waiting for approval at once
 * @param maxChatHistory chat messages kept (and sent to a viewer who joins); older ones drop off
 * @param maxHandsPerRoom hands raised at once ({@code limit-reached} past it)
 * @param maxBansPerRoom banned viewer sessions remembered
 * @param maxQuestionChars longest question ({@code too-long} past it), in characters
 * @param maxChatChars longest chat message, in characters
 * @param maxNameChars longest display name, in characters
 * @param questionsNeedApproval whether a question waits for a moderator before others see it
 * @param questionRate questions per viewer session
 * @param chatRate chat messages per viewer session
 * @param messagesPerSecond sustained message rate of one audience connection
 * @param burstMessages its bucket size
 * @param floodCloseAfter how long a connection may keep exceeding the rate before it is closed
 * @param maxMessageBytes largest message on the audience door (larger closes with 1009)
 * @param outgoingQueueFrames frames queued to one viewer before a slow reader is cut off
 * @param inviteTtl how long a stage invitation (and its grant) stays valid
 * @param coalesce how long changes gather before one update goes out to everyone
 * @param votesCoalesce how long vote counts alone gather (they are many and less urgent); any
 *     other change in the meantime sends them along sooner
 * @param blocklist words the built-in content filter refuses (whole words, any case)
 * @param dataDir where room journals live, or {@code null} to keep nothing on disk
 */
public record AudienceSettings(
    int maxViewersPerRoom,
    int maxViewerSessionsPerRoom,
    int maxQuestionsPerRoom,
    int maxOpenQuestionsPerViewer,
    int maxChatHistory,
    int maxHandsPerRoom,
    int maxBansPerRoom,
    int maxQuestionChars,
    int maxChatChars,
    int maxNameChars,
    boolean questionsNeedApproval,
    RateRule questionRate,
    RateRule chatRate,
    int messagesPerSecond,
    int burstMessages,
    Duration floodCloseAfter,
    int maxMessageBytes,
    int outgoingQueueFrames,
    Duration inviteTtl,
    Duration coalesce,
    Duration votesCoalesce,
    List<String> blocklist,
    Path dataDir) {

  /**
   * A token bucket: {@code burst} actions at once, then one more every {@code refillEvery}.
   *
   * @param burst the bucket size
   * @param refillEvery the time one action takes to come back
   */
  public record RateRule(int burst, Duration refillEvery) {
    /** Checks the values. */
    public RateRule {
      if (burst < 1 || refillEvery.isNegative() || refillEvery.isZero()) {
        throw new IllegalArgumentException("a rate needs a positive burst and refill time");
      }
    }
  }

  /** Checks the values. */
  public AudienceSettings {
    for (int n :
        new int[] {
          maxViewersPerRoom, maxViewerSessionsPerRoom, maxQuestionsPerRoom, maxOpenQuestionsPerViewer,
          maxChatHistory, maxHandsPerRoom, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
          messagesPerSecond, burstMessages, maxMessageBytes, outgoingQueueFrames
        }) {
      if (n < 1) {
        throw new IllegalArgumentException("audience bounds must be positive");
      }
    }
    Objects.requireNonNull(questionRate, "questionRate");
    Objects.requireNonNull(chatRate, "chatRate");
    Objects.requireNonNull(floodCloseAfter, "floodCloseAfter");
    Objects.requireNonNull(inviteTtl, "inviteTtl");
    Objects.requireNonNull(coalesce, "coalesce");
    Objects.requireNonNull(votesCoalesce, "votesCoalesce");
    blocklist = List.copyOf(blocklist);
  }

  /** The defaults of {@code reference.conf}, without a journal. */
  public static AudienceSettings defaults() {
    return new AudienceSettings(
        10_000, 50_000, 500, 3, 200, 200, 10_000, 280, 300, 40, true,
        new RateRule(3, Duration.ofSeconds(20)),
        new RateRule(5, Duration.ofSeconds(1)),
        10, 20, Duration.ofSeconds(10), 4096, 128,
        Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofMillis(250), List.of(), null);
  }

  /** The same settings with another data directory ({@code null}: no journal). */
  public AudienceSettings withDataDir(Path dir) {
    return new AudienceSettings(
        maxViewersPerRoom, maxViewerSessionsPerRoom, maxQuestionsPerRoom, maxOpenQuestionsPerViewer,
        maxChatHistory, maxHandsPerRoom, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
        questionsNeedApproval, questionRate, chatRate, messagesPerSecond, burstMessages, floodCloseAfter,
        maxMessageBytes, outgoingQueueFrames, inviteTtl, coalesce, votesCoalesce, blocklist, dir);
  }

  /** The same settings with other per-viewer rates. */
  public AudienceSettings withRates(RateRule questions, RateRule chat) {
    return new AudienceSettings(
        maxViewersPerRoom, maxViewerSessionsPerRoom, maxQuestionsPerRoom, maxOpenQuestionsPerViewer,
        maxChatHistory, maxHandsPerRoom, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
        questionsNeedApproval, questions, chat, messagesPerSecond, burstMessages, floodCloseAfter,
        maxMessageBytes, outgoingQueueFrames, inviteTtl, coalesce, votesCoalesce, blocklist, dataDir);
  }

  /** The same settings with another blocklist. */
  public AudienceSettings withBlocklist(List<String> words) {
    return new AudienceSettings(
        maxViewersPerRoom, maxViewerSessionsPerRoom, maxQuestionsPerRoom, maxOpenQuestionsPerViewer,
        maxChatHistory, maxHandsPerRoom, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
        questionsNeedApproval, questionRate, chatRate, messagesPerSecond, burstMessages, floodCloseAfter,
        maxMessageBytes, outgoingQueueFrames, inviteTtl, coalesce, votesCoalesce, words, dataDir);
  }

  /** The same settings with other room-wide caps (tests of eviction). */
  public AudienceSettings withCaps(int questions, int chatHistory, int hands, int viewers, int sessions) {
    return new AudienceSettings(
        viewers, sessions, questions, maxOpenQuestionsPerViewer,
        chatHistory, hands, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
        questionsNeedApproval, questionRate, chatRate, messagesPerSecond, burstMessages, floodCloseAfter,
        maxMessageBytes, outgoingQueueFrames, inviteTtl, coalesce, votesCoalesce, blocklist, dataDir);
  }

  /** The same settings with another per-viewer outgoing queue. */
  public AudienceSettings withOutgoingQueue(int frames) {
    return new AudienceSettings(
        maxViewersPerRoom, maxViewerSessionsPerRoom, maxQuestionsPerRoom, maxOpenQuestionsPerViewer,
        maxChatHistory, maxHandsPerRoom, maxBansPerRoom, maxQuestionChars, maxChatChars, maxNameChars,
        questionsNeedApproval, questionRate, chatRate, messagesPerSecond, burstMessages, floodCloseAfter,
        maxMessageBytes, frames, inviteTtl, coalesce, votesCoalesce, blocklist, dataDir);
  }
}
