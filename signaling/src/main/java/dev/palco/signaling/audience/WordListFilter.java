package dev.palco.signaling.audience;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in {@link ContentFilter}: refuses a text that contains one of the configured words as
 * a whole word, whatever its case or accents, and however it is spaced out with punctuation
 * ({@code "S.P.A.M"} does not slip past {@code spam}). Multi-word entries match as phrases.
 *
 * <p>The text is folded once per check: NFKD (so full-width and decorated letters fall back to
 * their plain forms), accents dropped, lower case, and every run of non-letters/digits turned into
 * one space. Immutable and thread-safe.
 */
public final class WordListFilter implements ContentFilter {

  private final Set<String> words = new HashSet<>();
  private final List<String> phrases;
  /** Longest single word, in folded characters: how far a run of spaced-out letters is joined. */
  private final int longestWordChars;

  /** A filter for these words and phrases; blank entries are ignored. */
  public WordListFilter(List<String> entries) {
    List<String> multi = new java.util.ArrayList<>();
    int longest = 0;
    for (String entry : entries) {
      String folded = fold(entry).strip();
      if (folded.isEmpty()) {
        continue;
      }
      if (folded.indexOf(' ') >= 0) {
        multi.add(" " + folded + " ");
      } else {
        words.add(folded);
        longest = Math.max(longest, folded.length());
      }
    }
    this.phrases = List.copyOf(multi);
    this.longestWordChars = longest;
  }

  @Override
  public String refuse(String text) {
    if (words.isEmpty() && phrases.isEmpty()) {
      return null;
    }
    String folded = " " + fold(text).strip() + " ";
    for (String phrase : phrases) {
      if (folded.contains(phrase)) {
        return "contains a blocked phrase";
      }
    }
    String[] tokens = folded.strip().split(" ");
    for (String token : tokens) {
      if (words.contains(token)) {
        return "contains a blocked word";
      }
    }
    // Letters spaced out with punctuation ("s.p.a.m", "s p a m"): join runs of one-letter tokens.
    for (int start = 0; start < tokens.length; start++) {
      StringBuilder joined = new StringBuilder();
      for (int i = start; i < tokens.length && tokens[i].length() == 1 && i - start < longestWordChars; i++) {
        joined.append(tokens[i]);
        if (words.contains(joined.toString())) {
          return "contains a blocked word";
        }
      }
    }
    return null;
  }

  /** NFKD, accents dropped, lower case, runs of anything but letters and digits as one space. */
  static String fold(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder(decomposed.length());
    boolean space = false;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.getType(cp) == Character.NON_SPACING_MARK) {
        continue;
      }
      if (Character.isLetterOrDigit(cp)) {
        out.appendCodePoint(cp);
        space = false;
      } else if (!space) {
        out.append(' ');
        space = true;
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
