package dev.palco.bridge.compose;

/**
 * The last text rendered for one place on the canvas (a tile's label, its name card, the slate):
 * java.awt draws again only when the text or its size changes, so a steady picture costs no text
 * rendering and no allocation. Compositor thread only.
 */
final class TextMaskCache {

    private String text;
    private int fontPx;
    private int maxWidthPx;
    private int maxLines;
    private AlphaMask mask;

    /** The mask of {@code text} at {@code fontPx}, on one line at most {@code maxWidthPx} wide. */
    AlphaMask get(String text, int fontPx, int maxWidthPx) {
        return get(text, fontPx, maxWidthPx, 1);
    }

    /** The mask of {@code text} at {@code fontPx}, wrapped onto at most {@code maxLines} lines. */
    AlphaMask get(String text, int fontPx, int maxWidthPx, int maxLines) {
        int max = Math.max(16, maxWidthPx);
        if (mask == null || fontPx != this.fontPx || max != this.maxWidthPx || maxLines != this.maxLines
                || !text.equals(this.text)) {
            mask = AlphaMask.ofText(text, fontPx, max, maxLines);
            this.text = text;
            this.fontPx = fontPx;
            this.maxWidthPx = max;
            this.maxLines = maxLines;
        }
        return mask;
    }
}
