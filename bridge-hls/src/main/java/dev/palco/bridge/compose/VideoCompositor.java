package dev.palco.bridge.compose;

import dev.palco.bridge.stage.StageTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Lays the stage's video tracks out on one canvas, one output picture per call of
 * {@link #compose}.
 *
 * <p><b>Time.</b> {@code compose(t)} shows, for every track, the newest picture captured at or
 * before {@code t}: the caller passes the wall-clock instant the picture represents (its output
 * clock's time minus the presentation delay, which lets the tiles' pictures arrive), and stamps
 * the result with the same {@code t}. Decisions that take time (the speaker hold, cross-fades,
 * the freeze hold) run on this timeline too, so tests drive the compositor without a clock.
 *
 * <p><b>Threads.</b> {@link #addTrack}, {@link #offer}, {@link #removeTrack},
 * {@link #setDisplayName}, {@link #setDominantSpeaker}, {@link #setLayout} and {@link #setLowerThird} from any thread
 * (the ingest's, signaling's); {@link #compose} and {@link #close} from one compositor thread.
 * Arrivals only copy (see {@link VideoTrackBuffer}); scaling, drawing and freeing happen on the
 * compositor thread.
 *
 * <p><b>Drawing.</b> Background; per tile, its picture scaled to fit (letterboxed), or its name
 * card when it has none or it froze; a name label (text rendered once per name into an
 * {@link AlphaMask}, then blended); the slate when no video is on stage; over it all, the
 * lower third (the question being answered) when one is set. When the plan changes
 * (a track comes or goes, the speaker or the layout changes) the new picture is cross-faded from
 * the last one over {@link CompositorConfig#transitionMs()}.
 */
public final class VideoCompositor implements AutoCloseable {

    private static final int BG_Y = 24;
    private static final int CARD_Y = 52;
    private static final int CARD_U = 138;
    private static final int CARD_V = 120;
    private static final int SLATE_Y = 40;
    private static final int SLATE_U = 150;
    private static final int SLATE_V = 118;
    private static final int TEXT_Y = 235;
    /** The lower third's accent (a light violet, #b4a9ff) for its kicker line and edge bar. */
    private static final int ACCENT_Y = 182;
    private static final int ACCENT_U = 169;
    private static final int ACCENT_V = 127;
    /** Lines of the pinned question's text in the lower third. */
    private static final int LOWER_THIRD_LINES = 2;

    /** What the lower third shows: a short kicker line above the text. */
    private record LowerThird(String kicker, String text) {}

    private final CompositorConfig config;
    private final Map<String, VideoTrackBuffer> tracks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<VideoTrackBuffer> leaving = new ConcurrentLinkedQueue<>();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private volatile String dominantSpeaker;
    private volatile LayoutMode requestedLayout = LayoutMode.AUTO;
    private volatile LowerThird lowerThird;
    private long joinCounter;
    private volatile boolean closed;

    // Compositor thread.
    private final I420Canvas canvas;
    private final I420Canvas fadeFrom;
    private final TextMaskCache slate = new TextMaskCache();
    private final TextMaskCache lowerKicker = new TextMaskCache();
    private final TextMaskCache lowerText = new TextMaskCache();
    /** The lower third of the picture being composed, planned before the tiles are drawn. */
    private AlphaMask captionKicker;
    private AlphaMask captionText;
    private Rect captionBand;
    private Rect captionBar;
    private int captionTextX;
    private int captionKickerY;
    private int captionTextY;
    /** Where name labels must end: the lower third's top, or the canvas's bottom. */
    private int labelFloor;
    private List<LayoutPlanner.Tile> plan = List.of();
    private LayoutMode shownLayout = LayoutMode.GRID;
    private String heldSpeaker;
    private long heldSinceUs;
    private boolean fading;
    private long fadeStartUs;
    private boolean everComposed;
    private boolean seenVideo;
    private long composed;
    private long transitions;
    private long lastComposeUs = Long.MIN_VALUE;

    /** A compositor with {@code config}. */
    public VideoCompositor(CompositorConfig config) {
        this.config = config;
        this.canvas = new I420Canvas(config.widthPx(), config.heightPx());
        this.fadeFrom = new I420Canvas(config.widthPx(), config.heightPx());
    }

    /** The settings. */
    public CompositorConfig config() {
        return config;
    }

    /** A video track joined the stage (microphones are ignored). */
    public void addTrack(StageTrack track) {
        if (!track.source().isVideo()) {
            return;
        }
        synchronized (tracks) {
            if (closed) {
                return;
            }
            tracks.computeIfAbsent(track.trackId(), k -> new VideoTrackBuffer(track, joinCounter++));
        }
    }

    /** A video track left the stage; its buffers are freed on the compositor thread. */
    public void removeTrack(StageTrack track) {
        VideoTrackBuffer b = tracks.remove(track.trackId());
        if (b != null) {
            leaving.add(b);
        }
    }

    /**
     * A decoded picture of {@code track}, captured at {@code captureUs}; copied before returning.
     *
     * @return false when the track is unknown or the picture unusable
     */
    public boolean offer(StageTrack track, AVFrame picture, long captureUs) {
        VideoTrackBuffer b = tracks.get(track.trackId());
        if (b == null) {
            addTrack(track);
            b = tracks.get(track.trackId());
            if (b == null) {
                return false;
            }
        }
        return b.offer(picture, captureUs);
    }

    /** The name shown on a participant's tiles (null: the participant id). */
    public void setDisplayName(String participantId, String name) {
        if (name == null) {
            names.remove(participantId);
        } else {
            names.put(participantId, name);
        }
    }

    /** The room's dominant speaker, or null. The layout follows it after the speaker hold. */
    public void setDominantSpeaker(String participantId) {
        dominantSpeaker = participantId;
    }

    /**
     * Shows a caption across the bottom of every picture until cleared: the question being
     * answered, with a kicker such as "Now answering · Ada". {@code text} null (or blank) clears
     * it. Any thread; the next composed picture shows the change, without a cross-fade.
     */
    public void setLowerThird(String kicker, String text) {
        lowerThird = text == null || text.isBlank() ? null : new LowerThird(kicker == null ? "" : kicker, text);
    }

    /** The layout to show; {@link LayoutMode#AUTO} chooses by what is on stage. */
    public void setLayout(LayoutMode mode) {
        requestedLayout = mode == null ? LayoutMode.AUTO : mode;
    }

    /** The layout drawn in the last picture. */
    public LayoutMode shownLayout() {
        return shownLayout;
    }

    /** The plan drawn in the last picture (tiles and their cells). */
    public List<LayoutPlanner.Tile> plan() {
        return plan;
    }

    /** The participant the layout treats as the speaker, after the hold. */
    public String heldSpeaker() {
        return heldSpeaker;
    }

    /** Video tracks on stage. */
    public int trackCount() {
        return tracks.size();
    }

    /** Pictures received over all tracks on stage. */
    public long picturesReceived() {
        long n = 0;
        for (VideoTrackBuffer b : tracks.values()) {
            n += b.received();
        }
        return n;
    }

    /** Pictures overwritten before they could be shown, over all tracks on stage. */
    public long picturesOverwritten() {
        long n = 0;
        for (VideoTrackBuffer b : tracks.values()) {
            n += b.overwritten();
        }
        return n;
    }

    /** Pictures waiting to be shown, over all tracks on stage. */
    public int picturesQueued() {
        int n = 0;
        for (VideoTrackBuffer b : tracks.values()) {
            n += b.queued();
        }
        return n;
    }

    /** Output pictures composed. */
    public long composed() {
        return composed;
    }

    /** Layout changes (cross-fades started). */
    public long transitions() {
        return transitions;
    }

    /**
     * Composes the picture for the instant {@code presentationUs} (wall clock, epoch µs). The
     * returned canvas is reused: it is valid until the next call.
     */
    public I420Canvas compose(long presentationUs) {
        for (VideoTrackBuffer b; (b = leaving.poll()) != null;) {
            b.close();
        }
        long t = presentationUs;
        if (lastComposeUs != Long.MIN_VALUE && t < lastComposeUs) {
            t = lastComposeUs; // the timeline never runs backwards
        }
        lastComposeUs = t;
        List<VideoTrackBuffer> onStage = new ArrayList<>(tracks.values());
        onStage.sort((a, b) -> Long.compare(a.joinOrder(), b.joinOrder()));
        updateSpeaker(t, onStage);
        List<String> cameras = new ArrayList<>();
        String screen = null;
        String speakerCamera = null;
        for (VideoTrackBuffer b : onStage) {
            StageTrack tr = b.track();
            if (tr.source() == StageTrack.Source.SCREEN) {
                if (screen == null) {
                    screen = tr.trackId();
                }
            } else {
                cameras.add(tr.trackId());
                if (speakerCamera == null && tr.participantId().equals(heldSpeaker)) {
                    speakerCamera = tr.trackId();
                }
            }
        }
        LayoutMode mode = LayoutPlanner.resolve(requestedLayout, config.autoLayout(), screen != null);
        if (mode != LayoutMode.SCREEN && screen != null) {
            // Outside the screen layout a shared screen is one more tile, in stage order.
            cameras.clear();
            for (VideoTrackBuffer b : onStage) {
                cameras.add(b.track().trackId());
            }
        }
        List<LayoutPlanner.Tile> next = LayoutPlanner.plan(mode, cameras, speakerCamera, screen, canvas.width(),
                canvas.height());
        if (everComposed && !next.equals(plan) && config.transitionMs() > 0) {
            fadeFrom.copyFrom(canvas);
            fading = true;
            fadeStartUs = t;
            transitions++;
        }
        plan = next;
        shownLayout = mode;

        LowerThird caption = lowerThird;
        labelFloor = caption == null ? canvas.height() : planLowerThird(caption);
        canvas.fill(new Rect(0, 0, canvas.width(), canvas.height()), BG_Y, 128, 128);
        if (next.isEmpty()) {
            drawSlate(seenVideo ? config.breakText() : config.startingText());
        } else {
            for (LayoutPlanner.Tile tile : next) {
                VideoTrackBuffer b = tracks.get(tile.key());
                if (b != null) {
                    drawTile(b, tile, t);
                }
            }
        }
        if (fading) {
            long elapsedUs = t - fadeStartUs;
            long fadeUs = config.transitionMs() * 1000L;
            if (elapsedUs >= fadeUs) {
                fading = false;
            } else {
                // The first faded picture already moves one frame's worth towards the new layout.
                long frameUs = 1_000_000L / config.frameRateFps();
                int a256 = (int) Math.min(256, (elapsedUs + frameUs) * 256 / (fadeUs + frameUs));
                canvas.crossFade(fadeFrom, a256);
            }
        }
        if (caption != null) {
            // After the fade, so that a caption on both pictures of a fade is not drawn twice.
            drawLowerThird();
        }
        everComposed = true;
        composed++;
        return canvas;
    }

    /** The speaker hold: a new dominant speaker replaces the held one only after the hold expired. */
    private void updateSpeaker(long t, List<VideoTrackBuffer> onStage) {
        if (heldSpeaker != null) {
            boolean present = false;
            for (VideoTrackBuffer b : onStage) {
                present |= b.track().participantId().equals(heldSpeaker);
            }
            if (!present) {
                heldSpeaker = null;
            }
        }
        String dominant = dominantSpeaker;
        if (dominant == null || dominant.equals(heldSpeaker)) {
            return; // silence keeps the last speaker on screen
        }
        if (heldSpeaker == null || t - heldSinceUs >= config.speakerHoldMs() * 1000L) {
            heldSpeaker = dominant;
            heldSinceUs = t;
        }
    }

    private void drawTile(VideoTrackBuffer b, LayoutPlanner.Tile tile, long t) {
        Rect cell = tile.cell();
        String name = displayName(b.track());
        boolean has = b.prepare(t, cell);
        boolean frozen = has && t - b.shownCaptureUs() > config.freezeHoldMs() * 1000L;
        if (has && !frozen) {
            seenVideo = true;
            canvas.fill(cell, 16, 128, 128);
            Rect in = b.inner();
            canvas.blit(b.scaled(), in.width(), in.height(), in.x(), in.y());
            drawLabel(b, name, cell, tile.large());
        } else {
            drawNameCard(b, name, cell);
        }
    }

    private String displayName(StageTrack track) {
        String n = names.get(track.participantId());
        return n == null ? track.participantId() : n;
    }

    private void drawLabel(VideoTrackBuffer b, String name, Rect cell, boolean large) {
        int fontPx = large || cell.height() >= 300 ? 22 : 14;
        int pad = fontPx / 3 & ~1;
        AlphaMask m = b.labels.get(name, fontPx, cell.width() - 4 * pad - 8);
        int boxW = m.width() + 2 * pad;
        int boxH = m.height() + pad;
        int x = cell.x() + 8;
        // Above the lower third where it covers the cell's bottom, but never above the cell.
        int bottom = Math.min(cell.y() + cell.height(), labelFloor);
        int y = Math.max(cell.y() + 8, bottom - 8 - boxH);
        Rect box = Rect.even(x, y, boxW, boxH);
        canvas.shade(box, 90);
        canvas.blend(m, box.x() + pad, box.y() + (pad / 2 & ~1), TEXT_Y, 128, 128);
    }

    private void drawNameCard(VideoTrackBuffer b, String name, Rect cell) {
        canvas.fill(cell, CARD_Y, CARD_U, CARD_V);
        int fontPx = Math.max(12, Math.min(40, cell.height() / 6));
        AlphaMask m = b.cards.get(name, fontPx, cell.width() - 16);
        canvas.blend(m, cell.x() + (cell.width() - m.width()) / 2 & ~1, cell.y() + (cell.height() - m.height()) / 2 & ~1,
                TEXT_Y, 128, 128);
    }

    private void drawSlate(String text) {
        canvas.fill(new Rect(0, 0, canvas.width(), canvas.height()), SLATE_Y, SLATE_U, SLATE_V);
        AlphaMask m = slate.get(text, Math.max(16, canvas.height() / 12), canvas.width() - 32);
        canvas.blend(m, (canvas.width() - m.width()) / 2 & ~1, (canvas.height() - m.height()) / 2 & ~1, TEXT_Y, 128,
                128);
    }

    /**
     * Plans the lower third: a band over the bottom of the canvas, inside the title-safe margin
     * (5 % of the width on each side), tall enough for the kicker and up to
     * {@value #LOWER_THIRD_LINES} lines of text. Returns the band's top, above which the tiles'
     * name labels move so that the caption never covers them.
     */
    private int planLowerThird(LowerThird caption) {
        int w = canvas.width();
        int h = canvas.height();
        int margin = w / 20 & ~1;
        int textPx = Math.max(14, h / 26);
        int kickerPx = Math.max(12, h / 40);
        int pad = textPx / 2 & ~1;
        int bar = Math.max(2, w / 320 * 2);
        int inner = w - 2 * margin - 2 * pad - bar;
        captionKicker = caption.kicker().isEmpty() ? null : lowerKicker.get(caption.kicker(), kickerPx, inner);
        captionText = lowerText.get(caption.text(), textPx, inner, LOWER_THIRD_LINES);
        int kickerH = captionKicker == null ? 0 : captionKicker.height() + pad / 2;
        int bandH = (pad + kickerH + captionText.height() + pad + 1) & ~1;
        captionBand = Rect.even(margin, h - margin / 2 - bandH, w - 2 * margin, bandH);
        captionBar = Rect.even(margin, captionBand.y(), bar, bandH);
        captionTextX = (margin + bar + pad) & ~1;
        captionKickerY = (captionBand.y() + pad) & ~1;
        captionTextY = (captionBand.y() + pad + kickerH) & ~1;
        return captionBand.y();
    }

    /** Draws the lower third planned by {@link #planLowerThird}: shade, accent bar, kicker, text. */
    private void drawLowerThird() {
        canvas.shade(captionBand, 70);
        canvas.fill(captionBar, ACCENT_Y, ACCENT_U, ACCENT_V);
        if (captionKicker != null) {
            canvas.blend(captionKicker, captionTextX, captionKickerY, ACCENT_Y, ACCENT_U, ACCENT_V);
        }
        canvas.blend(captionText, captionTextX, captionTextY, TEXT_Y, 128, 128);
    }

    /** Frees every track's native buffers. Compositor thread, after the last {@link #compose}. */
    @Override
    public void close() {
        synchronized (tracks) {
            closed = true;
        }
        for (VideoTrackBuffer b; (b = leaving.poll()) != null;) {
            b.close();
        }
        for (VideoTrackBuffer b : tracks.values()) {
            b.close();
        }
        tracks.clear();
    }
}
