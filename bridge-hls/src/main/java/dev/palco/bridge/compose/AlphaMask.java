package dev.palco.bridge.compose;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;

/**
 * Text (a line, or a few wrapped lines) as an 8-bit coverage mask (0 transparent, 255 opaque), drawn once with java.awt
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
        return ofText(text, fontPx, maxWidthPx, 1);
    }

    /**
     * Like {@link #ofText(String, int, int)}, wrapped at spaces onto at most {@code maxLines}
     * lines; what does not fit on the last one is cut with an ellipsis. A word longer than a whole
     * line is cut where the line ends.
     */
    public static AlphaMask ofText(String text, int fontPx, int maxWidthPx, int maxLines) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, fontPx);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font);
        pg.dispose();
        List<String> lines = wrap(text.strip(), fm, maxWidthPx, Math.max(1, maxLines));
        int widest = 0;
        for (String line : lines) {
            widest = Math.max(widest, fm.stringWidth(line));
        }
        int lineHeight = fm.getAscent() + fm.getDescent();
        int w = Math.max(2, (widest + 1) & ~1);
        int h = Math.max(2, (lineHeight * lines.size() + 1) & ~1);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setFont(font);
        g.setColor(java.awt.Color.WHITE);
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), 0, fm.getAscent() + i * lineHeight);
        }
        g.dispose();
        byte[] gray = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        return new AlphaMask(w, h, gray.clone());
    }

    private static List<String> wrap(String text, FontMetrics fm, int maxWidthPx, int maxLines) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        while (lines.size() < maxLines - 1 && fm.stringWidth(rest) > maxWidthPx) {
            int cut = longestPrefix(rest, fm, maxWidthPx, "");
            int space = rest.lastIndexOf(' ', cut);
            int end = space > 0 ? space : Math.max(1, cut);
            lines.add(rest.substring(0, end).stripTrailing());
            rest = rest.substring(end).stripLeading();
        }
        if (fm.stringWidth(rest) > maxWidthPx) {
            rest = rest.substring(0, longestPrefix(rest, fm, maxWidthPx, "…")).stripTrailing() + "…";
        }
        lines.add(rest);
        return lines;
    }

    /** The length of the longest prefix of {@code s} that, followed by {@code suffix}, fits. */
    private static int longestPrefix(String s, FontMetrics fm, int maxWidthPx, String suffix) {
        int n = s.length();
        while (n > 0 && fm.stringWidth(s.substring(0, n) + suffix) > maxWidthPx) {
            n--;
        }
        return n;
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
