package dev.palco.signaling.audience;

/**
 * Decides whether a viewer's text (a question, a chat message, a display name) may be posted.
 * The built-in {@link WordListFilter} refuses configured words; a deployment plugs in a real
 * moderation service by implementing this and handing it to the {@link AudienceHub}.
 *
 * <p>Called on a signaling worker for each post, outside any room lock, so it may take a few
 * milliseconds; it must be thread-safe and must not throw.
 */
@FunctionalInterface
public interface ContentFilter {

  /** A filter that lets everything through. */
  ContentFilter NONE = text -> null;

  /**
   * Checks a text.
   *
   * @param text the text as the viewer sent it, trimmed
   * @return {@code null} to allow it, or the reason to show the viewer (for example "contains a
   *     blocked word")
   */
  String refuse(String text);
}
