package dev.palco.bridge.compose;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each video track goes on the canvas, as pure geometry: the compositor asks for a plan
 * whenever the stage changes and draws it.
 *
 * <pre>
 *  GRID (1..9)              SPEAKER                    SCREEN
 * ┌──────┬──────┬──────┐   ┌──────────────────────┐   ┌───────────────┬──────┐
 * │  a   │  b   │  c   │   │                      │   │               │ spk  │
 * ├──────┼──────┼──────┤   │       speaker        │   │    screen     ├──────┤
 * │  d   │  e   │  f   │   │                      │   │               │  b   │
 * ├──────┴┬─────┴┬─────┤   ├────┬────┬────┬───────┤   │               ├──────┤
 * │   g   │  h   │      │   │ b  │ c  │ d  │  ...  │   │               │  c   │
 * └───────┴──────┘      │   └────┴────┴────┴───────┘   └───────────────┴──────┘
 * </pre>
 *
 * <p>Cells are separated by a margin, have even edges (4:2:0), and an incomplete last row or a
 * short filmstrip is centred. A picture keeps its aspect ratio inside its cell ({@link Rect#fit}).
 * The grid picks the column count that gives a 16:9 picture the largest area. Tracks beyond what a
 * layout holds are left out, never the speaker.
 */
public final class LayoutPlanner {

    /** Presenters the grid holds. */
    public static final int MAX_GRID_TILES = 9;
    /** Tiles in the speaker layout's filmstrip. */
    public static final int MAX_FILMSTRIP_TILES = 6;
    /** Speakers beside a shared screen. */
    public static final int MAX_SCREEN_SIDE_TILES = 4;

    /** Space between cells and around the edge, px. */
    static final int MARGIN_PX = 8;

    /** One track's cell in a plan. */
    public record Tile(String key, Rect cell, boolean large) {
    }

    private LayoutPlanner() {
    }

    /**
     * The layout to draw: a requested mode, or in {@link LayoutMode#AUTO} the screen layout when a
     * screen is shared and {@code autoDefault} otherwise. A screen layout without a screen falls back
     * to {@code autoDefault}.
     */
    public static LayoutMode resolve(LayoutMode requested, LayoutMode autoDefault, boolean screenShared) {
        LayoutMode fallback = autoDefault == LayoutMode.SPEAKER ? LayoutMode.SPEAKER : LayoutMode.GRID;
        if (requested == LayoutMode.AUTO) {
            return screenShared ? LayoutMode.SCREEN : fallback;
        }
        if (requested == LayoutMode.SCREEN && !screenShared) {
            return fallback;
        }
        return requested;
    }

    /**
     * The plan for {@code mode} (already resolved).
     *
     * @param cameras camera track keys in stage order
     * @param speaker the key of the speaker's camera, or null
     * @param screen the key of the shared screen, or null
     */
    public static List<Tile> plan(LayoutMode mode, List<String> cameras, String speaker, String screen,
            int canvasWidth, int canvasHeight) {
        return switch (mode) {
            case SCREEN -> screen == null ? grid(cameras, speaker, canvasWidth, canvasHeight)
                    : screen(screen, cameras, speaker, canvasWidth, canvasHeight);
            case SPEAKER -> speaker(cameras, speaker, canvasWidth, canvasHeight);
            default -> grid(cameras, speaker, canvasWidth, canvasHeight);
        };
    }

    /** Equal cells for up to {@link #MAX_GRID_TILES} cameras. */
    public static List<Tile> grid(List<String> cameras, String speaker, int w, int h) {
        List<String> shown = withSpeakerFirstIfCut(cameras, speaker, MAX_GRID_TILES);
        int n = shown.size();
        List<Tile> tiles = new ArrayList<>(n);
        if (n == 0) {
            return tiles;
        }
        int bestCols = 1;
        long bestArea = -1;
        for (int cols = 1; cols <= n; cols++) {
            int rows = (n + cols - 1) / cols;
            Rect cell = Rect.even(0, 0, (w - (cols + 1) * MARGIN_PX) / cols, (h - (rows + 1) * MARGIN_PX) / rows);
            long area = cell.fit(16, 9).area();
            if (area > bestArea) {
                bestArea = area;
                bestCols = cols;
            }
        }
        int cols = bestCols;
        int rows = (n + cols - 1) / cols;
        int cellW = (w - (cols + 1) * MARGIN_PX) / cols;
        int cellH = (h - (rows + 1) * MARGIN_PX) / rows;
        for (int i = 0; i < n; i++) {
            int row = i / cols;
            int inRow = Math.min(cols, n - row * cols);
            int rowWidth = inRow * cellW + (inRow - 1) * MARGIN_PX;
            int x0 = (w - rowWidth) / 2;
            int col = i % cols;
            Rect cell = Rect.even(x0 + col * (cellW + MARGIN_PX), MARGIN_PX + row * (cellH + MARGIN_PX), cellW, cellH);
            tiles.add(new Tile(shown.get(i), cell, n == 1));
        }
        return tiles;
    }

    /** The speaker (or the first camera) large, up to {@link #MAX_FILMSTRIP_TILES} others below. */
    public static List<Tile> speaker(List<String> cameras, String speaker, int w, int h) {
        List<Tile> tiles = new ArrayList<>();
        if (cameras.isEmpty()) {
            return tiles;
        }
        String main = speaker != null && cameras.contains(speaker) ? speaker : cameras.get(0);
        List<String> others = new ArrayList<>(cameras);
        others.remove(main);
        if (others.size() > MAX_FILMSTRIP_TILES) {
            others = others.subList(0, MAX_FILMSTRIP_TILES);
        }
        int stripH = others.isEmpty() ? 0 : h / 5;
        int mainH = h - 2 * MARGIN_PX - (others.isEmpty() ? 0 : stripH + MARGIN_PX);
        tiles.add(new Tile(main, Rect.even(MARGIN_PX, MARGIN_PX, w - 2 * MARGIN_PX, mainH), true));
        int k = others.size();
        if (k > 0) {
            int cellW = Math.min((w - (k + 1) * MARGIN_PX) / k, stripH * 16 / 9);
            int rowWidth = k * cellW + (k - 1) * MARGIN_PX;
            int x0 = (w - rowWidth) / 2;
            int y = h - MARGIN_PX - stripH;
            for (int i = 0; i < k; i++) {
                tiles.add(new Tile(others.get(i), Rect.even(x0 + i * (cellW + MARGIN_PX), y, cellW, stripH), false));
            }
        }
        return tiles;
    }

    /** The screen large on the left, up to {@link #MAX_SCREEN_SIDE_TILES} cameras (speaker first) beside it. */
    public static List<Tile> screen(String screen, List<String> cameras, String speaker, int w, int h) {
        List<Tile> tiles = new ArrayList<>();
        List<String> side = new ArrayList<>(cameras);
        if (speaker != null && side.remove(speaker)) {
            side.add(0, speaker);
        }
        if (side.size() > MAX_SCREEN_SIDE_TILES) {
            side = side.subList(0, MAX_SCREEN_SIDE_TILES);
        }
        int colW = side.isEmpty() ? 0 : w / 4;
        int screenW = w - 2 * MARGIN_PX - (side.isEmpty() ? 0 : colW + MARGIN_PX);
        tiles.add(new Tile(screen, Rect.even(MARGIN_PX, MARGIN_PX, screenW, h - 2 * MARGIN_PX), true));
        int k = side.size();
        if (k > 0) {
            int cellH = Math.min((h - (k + 1) * MARGIN_PX) / k, colW * 9 / 16);
            int colHeight = k * cellH + (k - 1) * MARGIN_PX;
            int y0 = (h - colHeight) / 2;
            int x = w - MARGIN_PX - colW;
            for (int i = 0; i < k; i++) {
                tiles.add(new Tile(side.get(i), Rect.even(x, y0 + i * (cellH + MARGIN_PX), colW, cellH), false));
            }
        }
        return tiles;
    }

    private static List<String> withSpeakerFirstIfCut(List<String> cameras, String speaker, int max) {
        if (cameras.size() <= max) {
            return cameras;
        }
        List<String> shown = new ArrayList<>(cameras.subList(0, max));
        if (speaker != null && cameras.contains(speaker) && !shown.contains(speaker)) {
            shown.set(max - 1, speaker);
        }
        return shown;
    }
}
