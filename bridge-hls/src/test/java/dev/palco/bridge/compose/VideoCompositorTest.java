package dev.palco.bridge.compose;

import static dev.palco.bridge.compose.TestPictures.COLOURS;
import static dev.palco.bridge.compose.TestPictures.colourAt;
import static dev.palco.bridge.compose.TestPictures.hasColour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.stage.StageTrack;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compositor's pixels: flat-coloured decoder frames in through the same calls the ingest
 * makes; the composited canvas (the picture handed to the encoder) checked tile by tile. Time is
 * the compositor's own timeline: frames captured at t, composed for t.
 */
class VideoCompositorTest {

    static {
        TestHome.isolate();
    }

    private static final long T0 = 1_800_000_000_000_000L;
    private static final long FRAME_US = 33_333;

    private VideoCompositor compositor;
    private final List<AVFrame> frames = new ArrayList<>();
    private final List<StageTrack> cameras = new ArrayList<>();

    @BeforeEach
    void open() {
        compositor = new VideoCompositor(CompositorConfig.defaults());
    }

    @AfterEach
    void close() {
        compositor.close();
        frames.forEach(TestPictures::free);
    }

    private StageTrack camera(int i, int w, int h) {
        StageTrack t = new StageTrack("p" + i, "cam" + i, StageTrack.Source.CAMERA);
        compositor.addTrack(t);
        frames.add(TestPictures.flat(w, h, COLOURS[i]));
        cameras.add(t);
        return t;
    }

    /** Every camera hands in its picture captured at {@code t}; then the picture for {@code t}. */
    private I420Canvas step(long t) {
        for (int i = 0; i < cameras.size(); i++) {
            assertTrue(compositor.offer(cameras.get(i), frames.get(i), t));
        }
        return compositor.compose(t);
    }

    private static int centreX(Rect r) {
        return (r.x() + r.width() / 2) & ~1;
    }

    private static int centreY(Rect r) {
        return (r.y() + r.height() / 2) & ~1;
    }

    private Rect cellOf(String key) {
        for (LayoutPlanner.Tile t : compositor.plan()) {
            if (t.key().equals(key)) {
                return t.cell();
            }
        }
        throw new AssertionError(key + " not in " + compositor.plan());
    }

    @Test
    void everyPresenterOfTheGridShowsInItsOwnTile() {
        for (int n = 1; n <= 9; n++) {
            camera(n - 1, 640, 360);
            I420Canvas c = null;
            // Past the cross-fade that every change starts.
            for (int f = 0; f < 12; f++) {
                c = step(T0 + (n * 20L + f) * FRAME_US);
            }
            assertEquals(LayoutMode.GRID, compositor.shownLayout());
            assertEquals(n, compositor.plan().size());
            for (int i = 0; i < n; i++) {
                Rect cell = cellOf("cam" + i);
                assertTrue(hasColour(c, centreX(cell), centreY(cell), COLOURS[i], 3),
                        n + " presenters, tile " + i + ": " + colourAt(c, centreX(cell), centreY(cell)));
            }
        }
    }

    @Test
    void aPictureOfAnotherShapeIsLetterboxedInItsTile() {
        camera(0, 640, 480); // 4:3 alone on a 16:9 canvas: pillarbox
        I420Canvas c = step(T0);
        Rect cell = cellOf("cam0");
        Rect in = cell.fit(640, 480);
        assertTrue(hasColour(c, centreX(cell), centreY(cell), COLOURS[0], 3));
        assertTrue(hasColour(c, in.x() + 4, centreY(cell), COLOURS[0], 3), colourAt(c, in.x() + 4, centreY(cell)));
        // The bars beside the picture are black.
        int bar = cell.x() + (in.x() - cell.x()) / 2;
        assertEquals(16, c.lumaAt(bar, centreY(cell)));
        assertEquals(128, c.cbAt(bar, centreY(cell)));
    }

    @Test
    void nameLabelsAreDrawnOnEachTileAndFollowTheName() {
        camera(0, 640, 360);
        camera(1, 640, 360);
        I420Canvas c = step(T0);
        Rect cell = cellOf("cam0");
        // The label sits in the bottom left corner: bright text on a darkened box.
        int x0 = cell.x() + 8;
        int y1 = cell.y() + cell.height() - 8;
        int bright = 0;
        int dark = 0;
        long before = 0;
        for (int y = y1 - 30; y < y1; y++) {
            for (int x = x0; x < x0 + 120; x++) {
                int l = c.lumaAt(x, y);
                bright += l > 200 ? 1 : 0;
                dark += l < COLOURS[0][0] - 20 ? 1 : 0;
                before += (long) l * (x + 7 * y);
            }
        }
        assertTrue(bright > 30, "text pixels: " + bright);
        assertTrue(dark > 100, "label box pixels: " + dark);
        // Elsewhere the tile is its flat colour.
        Rect in = cell.fit(640, 360);
        assertTrue(hasColour(c, in.x() + in.width() - 20, in.y() + 20, COLOURS[0], 3));

        compositor.setDisplayName("p0", "Wilhelmina Q.");
        c = step(T0 + FRAME_US);
        long after = 0;
        for (int y = y1 - 30; y < y1; y++) {
            for (int x = x0; x < x0 + 120; x++) {
                after += (long) c.lumaAt(x, y) * (x + 7 * y);
            }
        }
        assertNotEquals(before, after, "the label shows the new name");
    }

    @Test
    void theSlateShowsWhenNoVideoIsOnStageAndChangesTextAfterTheStageEmptied() {
        I420Canvas c = compositor.compose(T0);
        int w = c.width();
        int h = c.height();
        int starting = textPixels(c);
        assertTrue(starting > 200, "slate text pixels: " + starting);
        assertEquals(40, c.lumaAt(20, 20), "slate background");
        long startingHash = hashCentre(c);

        StageTrack cam = camera(0, 640, 360);
        c = step(T0 + FRAME_US);
        compositor.removeTrack(cam);
        cameras.clear();
        for (int f = 2; f < 14; f++) {
            c = compositor.compose(T0 + f * FRAME_US);
        }
        assertTrue(compositor.plan().isEmpty());
        assertTrue(textPixels(c) > 200);
        assertNotEquals(startingHash, hashCentre(c), "\"We'll be right back\" after the stage emptied");
        assertEquals(w, c.width());
        assertEquals(h, c.height());
    }

    private static int textPixels(I420Canvas c) {
        int n = 0;
        for (int y = c.height() / 3; y < 2 * c.height() / 3; y++) {
            for (int x = 0; x < c.width(); x++) {
                n += c.lumaAt(x, y) > 200 ? 1 : 0;
            }
        }
        return n;
    }

    private static long hashCentre(I420Canvas c) {
        long hsh = 0;
        for (int y = c.height() / 3; y < 2 * c.height() / 3; y++) {
            for (int x = 0; x < c.width(); x++) {
                hsh = hsh * 31 + c.lumaAt(x, y);
            }
        }
        return hsh;
    }

    @Test
    void aSpeakerChangeCrossFadesWithoutABlackFrameAfterTheHold() {
        compositor = new VideoCompositor(CompositorConfig.defaults().withAutoLayout(LayoutMode.SPEAKER));
        camera(0, 640, 360);
        camera(1, 640, 360);
        compositor.setDominantSpeaker("p0");
        long t = T0;
        I420Canvas c = null;
        for (int f = 0; f < 15; f++, t += FRAME_US) {
            c = step(t);
        }
        assertEquals(LayoutMode.SPEAKER, compositor.shownLayout());
        Rect main = compositor.plan().get(0).cell();
        int mx = centreX(main);
        int my = centreY(main);
        assertTrue(hasColour(c, mx, my, COLOURS[0], 3), colourAt(c, mx, my));

        // p1 speaks up at once: the hold keeps p0 for 1.5 s from when p0 took the stage.
        compositor.setDominantSpeaker("p1");
        int switchedAt = -1;
        List<String> seen = new ArrayList<>();
        for (int f = 0; f < 60; f++, t += FRAME_US) {
            c = step(t);
            seen.add(colourAt(c, mx, my));
            assertTrue(c.lumaAt(mx, my) > 30, "a black frame during the switch: " + seen);
            if (switchedAt < 0 && "p1".equals(compositor.heldSpeaker())) {
                switchedAt = f;
            }
        }
        // 15 frames were shown before; the hold is 45 frames from p0's first.
        assertTrue(switchedAt >= 28 && switchedAt <= 31, "switched at " + switchedAt);
        assertTrue(hasColour(c, mx, my, COLOURS[1], 3), colourAt(c, mx, my));
        // The frames after the switch move from p0's colour to p1's in steps, not at once.
        List<Integer> lumas = new ArrayList<>();
        for (String s : seen.subList(switchedAt, switchedAt + 10)) {
            lumas.add(Integer.parseInt(s.substring(1, s.indexOf(','))));
        }
        assertTrue(lumas.stream().distinct().count() >= 6, "cross-fade steps " + lumas);
        for (int i = 1; i < lumas.size(); i++) {
            assertTrue(lumas.get(i) >= lumas.get(i - 1), "monotonic fade " + lumas);
        }
        assertEquals(1, compositor.transitions(), "one cross-fade: the switch");
    }

    @Test
    void aSharedScreenTakesTheLargeTileInAutoAndTheOverrideGoesBackToTheGrid() {
        camera(0, 640, 360);
        camera(1, 640, 360);
        StageTrack screen = new StageTrack("p1", "screen1", StageTrack.Source.SCREEN);
        compositor.addTrack(screen);
        cameras.add(screen);
        frames.add(TestPictures.flat(1920, 1080, COLOURS[4]));
        I420Canvas c = null;
        for (int f = 0; f < 12; f++) {
            c = step(T0 + f * FRAME_US);
        }
        assertEquals(LayoutMode.SCREEN, compositor.shownLayout());
        Rect big = cellOf("screen1");
        assertTrue(hasColour(c, centreX(big), centreY(big), COLOURS[4], 3), colourAt(c, centreX(big), centreY(big)));
        Rect side = cellOf("cam0");
        assertTrue(side.x() > big.x() + big.width());
        assertTrue(hasColour(c, centreX(side), centreY(side), COLOURS[0], 3));

        compositor.setLayout(LayoutMode.GRID);
        for (int f = 12; f < 24; f++) {
            c = step(T0 + f * FRAME_US);
        }
        assertEquals(LayoutMode.GRID, compositor.shownLayout());
        assertEquals(3, compositor.plan().size());
    }

    @Test
    void aFrozenPublisherKeepsItsLastPictureForAWhileThenShowsItsNameCard() {
        camera(0, 640, 360);
        camera(1, 640, 360);
        StageTrack live = cameras.get(1);
        long t = T0;
        for (int f = 0; f < 12; f++, t += FRAME_US) {
            step(t);
        }
        Rect cell = cellOf("cam0");
        I420Canvas c = null;
        // From now on only p1 sends pictures.
        for (int f = 0; f < 30; f++, t += FRAME_US) {
            compositor.offer(live, frames.get(1), t);
            c = compositor.compose(t);
        }
        assertTrue(hasColour(c, centreX(cell), centreY(cell), COLOURS[0], 3), "1 s frozen: last picture kept");
        for (int f = 0; f < 45; f++, t += FRAME_US) {
            compositor.offer(live, frames.get(1), t);
            c = compositor.compose(t);
        }
        // 2.5 s frozen: the name card (its own colour, the name centred in bright text).
        int cx = cell.x() + 12;
        int cy = cell.y() + 12;
        assertEquals(52, c.lumaAt(cx, cy), colourAt(c, cx, cy));
        assertFalse(hasColour(c, centreX(cell), centreY(cell), COLOURS[0], 10));
        Rect other = cellOf("cam1");
        assertTrue(hasColour(c, centreX(other), centreY(other), COLOURS[1], 3));
    }

    @Test
    void picturesAreShownAtTheirCaptureTimeNotBefore() {
        StageTrack cam = camera(0, 640, 360);
        AVFrame later = TestPictures.flat(640, 360, COLOURS[1]);
        frames.add(later);
        compositor.offer(cam, frames.get(0), T0);
        compositor.offer(cam, later, T0 + 5 * FRAME_US);
        Rect cell;
        I420Canvas c = compositor.compose(T0 + 2 * FRAME_US);
        cell = cellOf("cam0");
        assertTrue(hasColour(c, centreX(cell), centreY(cell), COLOURS[0], 3), "the picture captured by then");
        c = compositor.compose(T0 + 5 * FRAME_US);
        assertTrue(hasColour(c, centreX(cell), centreY(cell), COLOURS[1], 3), "the next one at its capture time");
    }

    @Test
    void theLowerThirdCaptionsTheBottomOfThePictureUntilItIsCleared() {
        camera(0, 640, 360);
        for (int f = 0; f < 12; f++) {
            step(T0 + f * FRAME_US); // past the first cross-fade
        }
        I420Canvas plain = step(T0 + 12 * FRAME_US);
        int w = plain.width();
        int h = plain.height();
        int y0 = h * 3 / 4;
        int plainBright = brightIn(plain, w / 10, y0, w * 9 / 10, h);
        long plainHash = hashRows(plain, y0, h);
        int plainLabel = brightIn(plain, 8, h - 40, w / 20, h); // the canvas is reused: read it now
        assertTrue(hasColour(plain, w / 2, h - h / 20, COLOURS[0], 3), "no caption yet");

        compositor.setLowerThird("Now answering · Ada", "How do you keep latency under a second when the audience is this large?");
        I420Canvas c = step(T0 + 13 * FRAME_US);
        int captionBright = brightIn(c, w / 10, y0, w * 9 / 10, h);
        assertTrue(captionBright > plainBright + 500, "caption text pixels: " + plainBright + " -> " + captionBright);
        // The band darkens the bottom, inside the side margins; the margins keep the picture.
        assertTrue(c.lumaAt(w / 2, h - h / 20) < COLOURS[0][0] - 20 || c.lumaAt(w / 2, h - h / 20) > 200,
                "the band at the bottom: " + colourAt(c, w / 2, h - h / 20));
        int side = (w - w / 40) & ~1;
        assertTrue(hasColour(c, side, h - h / 20, COLOURS[0], 3), "the margin: " + colourAt(c, side, h - h / 20));
        // The top of the picture is untouched.
        assertTrue(hasColour(c, w / 2, h / 4, COLOURS[0], 3));
        // The name label, in the bottom left corner without a caption, moves above the band.
        assertTrue(plainLabel > 20, "the label at the bottom: " + plainLabel);
        assertEquals(0, brightIn(c, 8, h - 40, w / 20, h), "no label under the caption");
        long captionHash = hashRows(c, y0, h);

        // A longer question wraps onto a second line: more text pixels, a taller band.
        compositor.setLowerThird("Now answering · Ada", "How do you keep latency under a second when the audience is this large,"
                + " and what happens to the people who watch from a train with a poor connection?");
        c = step(T0 + 14 * FRAME_US);
        assertTrue(brightIn(c, w / 10, y0 - h / 8, w * 9 / 10, h) > captionBright, "a second line");
        assertNotEquals(captionHash, hashRows(c, y0, h));

        compositor.setLowerThird(null, null);
        c = step(T0 + 15 * FRAME_US);
        assertEquals(plainHash, hashRows(c, y0, h), "cleared: the bottom is the picture again");
    }

    private static int brightIn(I420Canvas c, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += c.lumaAt(x, y) > 200 ? 1 : 0;
            }
        }
        return n;
    }

    private static long hashRows(I420Canvas c, int y0, int y1) {
        long hash = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < c.width(); x++) {
                hash = hash * 31 + c.lumaAt(x, y);
            }
        }
        return hash;
    }
}
