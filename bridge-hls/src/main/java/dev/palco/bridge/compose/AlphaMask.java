package dev.palco.bridge.compose;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A line of text as an 8-bit coverage mask (0 transparent, 255 opaque), drawn once with java.awt
 * and then blended into the canvas's planes by the compositor on every frame. Only the text is
 * ever drawn by java.awt (a few kilobytes, when a name or the slate text changes), never the
 * canvas: Java2D on a 1280x720 picture at 30 fps would cost more than the compositing itself.
 */
public final class AlphaMask {

    private final int width;
    private final int height;
    private final byte[] alpha;

    private AlphaMask(int width, int height, byte[] alpha) {
        this.width = width;
        this.height = height;
        this.alpha = alpha;
    }

    /**
     * Renders {@code text} in a bold sans-serif face, {@code fontPx} pixels high, antialiased, with
     * even width and height (so it sits on the 4:2:0 chroma grid). At most {@code maxWidthPx} wide:
     * longer text is cut and ends with an ellipsis.
     */
    public static AlphaMask ofText(String text, int fontPx, int maxWidthPx) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, fontPx);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        String shown = text;
        if (fm.stringWidth(shown) > maxWidthPx) {
            int n = shown.length();
            while (n > 0 && fm.stringWidth(shown.substring(0, n) + "…") > maxWidthPx) {
                n--;
            }
            shown = shown.substring(0, n) + "…";
        }
        int w = Math.max(2, (fm.stringWidth(shown) + 1) & ~1);
        int h = Math.max(2, (fm.getAscent() + fm.getDescent() + 1) & ~1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setFont(font);
        g.setColor(java.awt.Color.WHITE);
        g.drawString(shown, 0, fm.getAscent());
        g.dispose();
        byte[] gray = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        return new AlphaMask(w, h, gray.clone());
    }

    /** Width, px (even). */
    public int width() {
        return width;
    }

    /** Height, px (even). */
    public int height() {
        return height;
    }

    /** Coverage of pixel (x, y), 0..255. */
    public int alphaAt(int x, int y) {
        return alpha[y * width + x] & 0xff;
    }

    byte[] alpha() {
        return alpha;
    }
}
