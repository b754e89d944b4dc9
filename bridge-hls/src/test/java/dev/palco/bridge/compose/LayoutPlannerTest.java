package dev.palco.bridge.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The geometry of the layouts, on a 1280x720 canvas. */
class LayoutPlannerTest {

    private static final int W = 1280;
    private static final int H = 720;
    private static final Rect CANVAS = new Rect(0, 0, W, H);

    private static List<String> keys(int n) {
        List<String> k = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            k.add("t" + i);
        }
        return k;
    }

    private static void assertSane(List<LayoutPlanner.Tile> tiles) {
        for (int i = 0; i < tiles.size(); i++) {
            Rect a = tiles.get(i).cell();
            assertTrue(a.within(CANVAS), a + " leaves the canvas");
            assertTrue(a.width() > 0 && a.height() > 0, a.toString());
            assertEquals(0, a.x() % 2 + a.y() % 2 + a.width() % 2 + a.height() % 2, a + " has an odd edge");
            for (int j = i + 1; j < tiles.size(); j++) {
                assertFalse(a.overlaps(tiles.get(j).cell()), a + " overlaps " + tiles.get(j).cell());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9})
    void theGridHasOneEqualCellPerPresenter(int n) {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.grid(keys(n), null, W, H);
        assertEquals(n, tiles.size());
        assertSane(tiles);
        Rect first = tiles.get(0).cell();
        for (LayoutPlanner.Tile t : tiles) {
            assertEquals(first.width(), t.cell().width(), 2);
            assertEquals(first.height(), t.cell().height(), 2);
        }
        // A 16:9 camera in its cell covers a fair share of the canvas: the best column count was chosen.
        long area = first.fit(16, 9).area() * n;
        assertTrue(area >= W * H * 0.40, n + " tiles cover only " + area);
        // Stage order: left to right, top to bottom.
        for (int i = 0; i < n; i++) {
            assertEquals("t" + i, tiles.get(i).key());
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "2,2,1", "3,2,2", "4,2,2", "5,3,2", "6,3,2", "7,3,3", "8,3,3", "9,3,3"})
    void gridShapes(int n, int cols, int rows) {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.grid(keys(n), null, W, H);
        assertEquals(cols, tiles.stream().map(t -> t.cell().x()).distinct().count() >= cols ? cols : -1);
        assertEquals(rows, tiles.stream().map(t -> t.cell().y()).distinct().count());
    }

    @Test
    void anIncompleteLastRowIsCentred() {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.grid(keys(3), null, W, H);
        Rect last = tiles.get(2).cell();
        int centre = last.x() + last.width() / 2;
        assertEquals(W / 2, centre, 2);
    }

    @Test
    void aGridOfMoreThanNineKeepsTheSpeaker() {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.grid(keys(12), "t11", W, H);
        assertEquals(9, tiles.size());
        assertTrue(tiles.stream().anyMatch(t -> t.key().equals("t11")));
    }

    @Test
    void theSpeakerIsLargeAndTheOthersAreInAFilmstripBelow() {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.speaker(keys(4), "t2", W, H);
        assertSane(tiles);
        assertEquals(4, tiles.size());
        LayoutPlanner.Tile main = tiles.get(0);
        assertEquals("t2", main.key());
        assertTrue(main.large());
        for (LayoutPlanner.Tile t : tiles.subList(1, 4)) {
            assertFalse(t.large());
            assertTrue(t.cell().y() >= main.cell().y() + main.cell().height(), "filmstrip below the speaker");
            assertTrue(t.cell().area() * 8 < main.cell().area());
            assertEquals(tiles.get(1).cell().y(), t.cell().y());
        }
        assertEquals(List.of("t0", "t1", "t3"), tiles.subList(1, 4).stream().map(LayoutPlanner.Tile::key).toList());
    }

    @Test
    void theSpeakerLayoutWithoutASpeakerShowsTheFirstPresenterAndCapsTheFilmstrip() {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.speaker(keys(9), null, W, H);
        assertSane(tiles);
        assertEquals("t0", tiles.get(0).key());
        assertEquals(1 + LayoutPlanner.MAX_FILMSTRIP_TILES, tiles.size());
        List<LayoutPlanner.Tile> alone = LayoutPlanner.speaker(keys(1), null, W, H);
        assertEquals(1, alone.size());
        assertEquals(H - 2 * LayoutPlanner.MARGIN_PX, alone.get(0).cell().height());
    }

    @Test
    void aSharedScreenIsLargeWithTheSpeakersBesideIt() {
        List<LayoutPlanner.Tile> tiles = LayoutPlanner.screen("s", keys(3), "t2", W, H);
        assertSane(tiles);
        assertEquals("s", tiles.get(0).key());
        Rect screen = tiles.get(0).cell();
        assertTrue(screen.width() > W / 2);
        assertEquals("t2", tiles.get(1).key(), "the speaker first beside the screen");
        for (LayoutPlanner.Tile t : tiles.subList(1, tiles.size())) {
            assertTrue(t.cell().x() >= screen.x() + screen.width(), "beside the screen");
            assertEquals(tiles.get(1).cell().x(), t.cell().x());
        }
        assertEquals(1 + LayoutPlanner.MAX_SCREEN_SIDE_TILES, LayoutPlanner.screen("s", keys(7), null, W, H).size());
        assertEquals(W - 2 * LayoutPlanner.MARGIN_PX, LayoutPlanner.screen("s", keys(0), null, W, H).get(0).cell().width());
    }

    @Test
    void autoChoosesTheScreenLayoutWhenAScreenIsSharedAndTheOverrideWins() {
        assertEquals(LayoutMode.SCREEN, LayoutPlanner.resolve(LayoutMode.AUTO, LayoutMode.GRID, true));
        assertEquals(LayoutMode.GRID, LayoutPlanner.resolve(LayoutMode.AUTO, LayoutMode.GRID, false));
        assertEquals(LayoutMode.SPEAKER, LayoutPlanner.resolve(LayoutMode.AUTO, LayoutMode.SPEAKER, false));
        assertEquals(LayoutMode.GRID, LayoutPlanner.resolve(LayoutMode.GRID, LayoutMode.SPEAKER, true));
        assertEquals(LayoutMode.SPEAKER, LayoutPlanner.resolve(LayoutMode.SPEAKER, LayoutMode.GRID, true));
        assertEquals(LayoutMode.GRID, LayoutPlanner.resolve(LayoutMode.SCREEN, LayoutMode.GRID, false));
        assertTrue(LayoutPlanner.plan(LayoutMode.GRID, List.of(), null, null, W, H).isEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        // cell x,y,w,h ; picture w,h ; expected fitted x,y,w,h
        "0,0,640,360, 1280,720, 0,0,640,360",     // same aspect: fills the cell
        "0,0,640,360, 640,480, 80,0,480,360",      // 4:3 in 16:9: pillarbox
        "0,0,640,640, 1280,720, 0,140,640,360",    // 16:9 in a square: letterbox
        "100,50,400,400, 720,1280, 188,50,224,400", // portrait phone: 225 wide rounds down to even
        "8,8,300,200, 1,1, 58,8,200,200",          // square
    })
    void picturesKeepTheirAspectRatio(int x, int y, int w, int h, int pw, int ph, int ex, int ey, int ew, int eh) {
        Rect fit = new Rect(x, y, w, h).fit(pw, ph);
        assertEquals(new Rect(ex, ey, ew, eh), fit);
        assertTrue(fit.within(new Rect(x, y, w, h)));
        double want = (double) pw / ph;
        assertEquals(want, (double) fit.width() / fit.height(), want * 0.02);
    }
}
