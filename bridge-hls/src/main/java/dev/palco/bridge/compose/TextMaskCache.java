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
    private AlphaMask mask;

    /** The mask of {@code text} at {@code fontPx}, at most {@code maxWidthPx} wide. */
    AlphaMask get(String text, int fontPx, int maxWidthPx) {
        int max = Math.max(16, maxWidthPx);
        if (mask == null || fontPx != this.fontPx || max != this.maxWidthPx || !text.equals(this.text)) {
            mask = AlphaMask.ofText(text, fontPx, max);
            this.text = text;
            this.fontPx = fontPx;
            this.maxWidthPx = max;
        }
        return mask;
    }
}
