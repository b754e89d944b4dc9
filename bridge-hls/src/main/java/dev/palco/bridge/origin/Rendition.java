package dev.palco.bridge.origin;

import dev.palco.bridge.cmaf.BoxWriter;
import dev.palco.bridge.cmaf.InitSegmentWriter;
import dev.palco.bridge.cmaf.MediaKind;
import dev.palco.bridge.cmaf.SegmenterListener;
import dev.palco.bridge.cmaf.TrackFormat;
import dev.palco.bridge.playlist.MediaPlaylistWriter;
import dev.palco.bridge.playlist.PartEntry;
import dev.palco.bridge.playlist.RenditionReport;
import dev.palco.bridge.playlist.SegmentEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One rendition's live state: its segments and parts (bytes included), its playlist, and the
 * requests parked until the playlist or a part they ask for exists.
 *
 * <p>A {@link dev.palco.bridge.cmaf.CmafSegmenter} feeds it through {@link SegmenterListener} on
 * the producer's thread; HTTP requests read it from the event loops. Every access holds this
 * object's monitor, briefly: answers are computed under it, and sent after it is released. Parked
 * requests are {@link OriginExchange}s in a list, completed by whichever thread publishes the part
 * they wait for, or failed with 503 by {@link #expire}. Calls to an exchange are made under the
 * monitor: they only queue work on an event loop, and making them under the monitor keeps one
 * exchange's calls in order when the event loop and the producer both write to it.
 */
public final class Rendition implements SegmenterListener {

    private static final byte[] NO_BYTES = new byte[0];

    private final LiveOrigin origin;
    private final RenditionSpec spec;
    private final OriginConfig config;
    private final byte[] init;
    private final String mediaContentType;
    private final String playlistUri;
    private final String initUri;

    // Guarded by this.
    private final ArrayList<StoredSegment> segments = new ArrayList<>(); // retired ones first, then the window
    private int windowStart;
    private StoredSegment open;
    private long discontinuitySequence;
    private boolean ended;
    private final ArrayList<PlaylistWaiter> playlistWaiters = new ArrayList<>();
    private final ArrayList<ResourceWaiter> resourceWaiters = new ArrayList<>();
    private long stateVersion;
    private long cachedStateVersion = -1;
    private long cachedEdgeVersion = -1;
    private final byte[][] cachedPlaylists = new byte[4][]; // [delta ? 2 : 0] + [gzip ? 1 : 0]

    private volatile RenditionReport edge;
    private final java.util.concurrent.atomic.AtomicLong publishedBytes = new java.util.concurrent.atomic.AtomicLong();

    Rendition(LiveOrigin origin, RenditionSpec spec, OriginConfig config) {
        this.origin = origin;
        this.spec = spec;
        this.config = config;
        BoxWriter w = new BoxWriter(1024);
        InitSegmentWriter.write(spec.format(), w);
        this.init = w.toByteArray();
        this.mediaContentType = spec.format().kind() == MediaKind.VIDEO ? "video/mp4" : "audio/mp4";
        this.playlistUri = spec.name() + ".m3u8";
        this.initUri = spec.name() + "_init.mp4";
        this.edge = new RenditionReport(playlistUri, 0, -1);
    }

    /** What this rendition is. */
    public RenditionSpec spec() {
        return spec;
    }

    /**
     * Whether a producer of {@code format} can continue this rendition: its init segment would be
     * byte for byte the one already served (EXT-X-MAP stays valid across a discontinuity only if
     * the decoder configuration is the same).
     */
    public boolean servesFormat(TrackFormat format) {
        BoxWriter w = new BoxWriter(1024);
        InitSegmentWriter.write(format, w);
        return Arrays.equals(init, w.toByteArray());
    }

    /**
     * The media sequence number a producer that continues this rendition starts at: one past the
     * last segment listed (0 for a rendition that has none yet).
     */
    public synchronized long nextMediaSequence() {
        if (open != null) {
            return open.msn + 1;
        }
        return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).msn + 1;
    }

    /** Bytes of media (parts) published so far: the rendition's output bit rate over time. */
    public long publishedBytes() {
        return publishedBytes.get();
    }

    /** URI of the segment {@code msn}. */
    String segmentUri(long msn) {
        return spec.name() + "_" + msn + ".m4s";
    }

    /** URI of part {@code index} of segment {@code msn}. */
    String partUri(long msn, int index) {
        return spec.name() + "_" + msn + "_" + index + ".m4s";
    }

    /** The last segment and part in the playlist, for other renditions' EXT-X-RENDITION-REPORT. */
    RenditionReport edge() {
        return edge;
    }

    // ---- SegmenterListener: the producer's thread ----

    @Override
    public void onSegmentStart(long msn, boolean discontinuity, long captureTimeMs) {
        synchronized (this) {
            if (ended) {
                return;
            }
            open = new StoredSegment(msn, discontinuity, captureTimeMs);
            segments.add(open);
        }
    }

    @Override
    public void onPart(long msn, int partIndex, boolean independent, long durationUs, byte[] buf, int off, int len) {
        byte[] data = Arrays.copyOfRange(buf, off, off + len);
        publishedBytes.addAndGet(len);
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            if (ended || open == null || open.msn != msn || open.parts.size() != partIndex) {
                return;
            }
            open.parts.add(new PartEntry(partUri(msn, partIndex), durationUs, independent));
            open.partData.add(data);
            open.durationUs += durationUs;
            edge = new RenditionReport(playlistUri, msn, partIndex);
            stateVersion++;
            origin.edgeMoved();
            releaseWaiters(sends);
            runAll(sends);
        }
    }

    @Override
    public void onSegmentEnd(long msn, long durationUs) {
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            if (ended || open == null || open.msn != msn) {
                return;
            }
            open.complete = true;
            open.join();
            open = null;
            slideWindow();
            stateVersion++;
            releaseWaiters(sends);
            runAll(sends);
        }
    }

    /** Ends the presentation: EXT-X-ENDLIST, and every parked request is answered. */
    void end() {
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            if (ended) {
                return;
            }
            if (open != null) {
                if (open.parts.isEmpty()) {
                    segments.remove(segments.size() - 1);
                } else {
                    open.complete = true;
                    open.join();
                }
                open = null;
            }
            ended = true;
            stateVersion++;
            releaseWaiters(sends);
            runAll(sends);
        }
    }

    // ---- requests: the event loops ----

    /** Answers a media playlist request, or parks it (RFC 8216bis §6.2.5). */
    void playlist(OriginRequest req, OriginExchange ex) {
        OriginResponse now;
        synchronized (this) {
            now = playlistLocked(req, ex);
        }
        if (now != null) {
            ex.respond(now);
        }
    }

    private OriginResponse playlistLocked(OriginRequest req, OriginExchange ex) {
        boolean blocking = req.msn() >= 0;
        // §6.2.5.2: "A Server MUST ignore _HLS_msn and _HLS_part if the Playlist contains an EXT-X-ENDLIST tag."
        if (!blocking || ended) {
            return playlistResponse(req.skip(), req.acceptsGzip(), false);
        }
        long lastMsn = lastCompleteMsn();
        // §6.2.5.2: more than two segments past the last one in the playlist is refused.
        if (req.msn() > lastMsn + 2) {
            return OriginResponse.status(400, "no-store");
        }
        if (req.part() >= 0 && partsAhead(req.msn(), req.part()) > config.timing().advancePartLimit()) {
            return OriginResponse.status(400, "no-store");
        }
        if (satisfied(req.msn(), req.part())) {
            return playlistResponse(req.skip(), req.acceptsGzip(), true);
        }
        playlistWaiters.add(new PlaylistWaiter(req, ex, origin.nowMs() + config.blockingTimeoutMs()));
        return null;
    }

    /** Serves the init segment, a segment or a part; parks a request for the hinted part. */
    void resource(OriginRequest req, OriginExchange ex) {
        OriginResponse now;
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            now = resourceLocked(req, ex, sends);
            runAll(sends);
        }
        if (now != null) {
            ex.respond(now);
        }
    }

    private OriginResponse resourceLocked(OriginRequest req, OriginExchange ex, List<Runnable> sends) {
        if (req.kind() == OriginRequest.Kind.INIT) {
            return media(init);
        }
        StoredSegment s = segment(req.msn());
        if (req.kind() == OriginRequest.Kind.SEGMENT) {
            if (s == null) {
                return notFound();
            }
            if (s.complete) {
                return media(s.data);
            }
            // The segment in progress: its parts are sent one by one as each completes (§6.2.6:
            // never a byte of a part before the whole part can be sent).
            ResourceWaiter w = new ResourceWaiter(req, ex, origin.nowMs() + config.blockingTimeoutMs());
            resourceWaiters.add(w);
            feedSegmentWaiter(w, s, sends);
            return null;
        }
        if (s != null && req.part() < s.partData.size()) {
            return media(s.partData.get(req.part()));
        }
        if (!ended && isHinted(req.msn(), req.part())) {
            resourceWaiters.add(new ResourceWaiter(req, ex, origin.nowMs() + config.blockingTimeoutMs()));
            return null;
        }
        return notFound();
    }

    /** The part EXT-X-PRELOAD-HINT names, or the one after it, may be asked for before it exists. */
    private boolean isHinted(long msn, int part) {
        long hintMsn;
        int hintPart;
        if (open != null) {
            hintMsn = open.msn;
            hintPart = open.parts.size();
        } else {
            hintMsn = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).msn + 1;
            hintPart = 0;
        }
        return msn == hintMsn && part == hintPart;
    }

    /** 503s for requests parked longer than 3 x TD (§6.2.5.2), and drops what clients left. */
    void expire(long nowMs) {
        List<Runnable> sends = new ArrayList<>();
        synchronized (this) {
            for (Iterator<PlaylistWaiter> it = playlistWaiters.iterator(); it.hasNext();) {
                PlaylistWaiter w = it.next();
                if (!w.exchange.isOpen()) {
                    it.remove();
                } else if (w.deadlineMs <= nowMs) {
                    it.remove();
                    sends.add(() -> w.exchange.respond(OriginResponse.status(503, "no-store")));
                }
            }
            for (Iterator<ResourceWaiter> it = resourceWaiters.iterator(); it.hasNext();) {
                ResourceWaiter w = it.next();
                if (!w.exchange.isOpen()) {
                    it.remove();
                } else if (w.deadlineMs <= nowMs && !w.started) {
                    it.remove();
                    sends.add(() -> w.exchange.respond(OriginResponse.status(503, "no-store")));
                }
            }
            purge(nowMs);
            runAll(sends);
        }
    }

    /** Number of parked requests (playlists and resources). */
    public synchronized int parkedRequests() {
        return playlistWaiters.size() + resourceWaiters.size();
    }

    /** Whether the playlist lists a whole segment, not only parts of the one being filled. */
    public synchronized boolean listsCompleteSegment() {
        return !segments.isEmpty() && lastCompleteMsn() >= segments.get(0).msn;
    }

    /** Media sequence numbers still downloadable, oldest first (for tests and metrics). */
    public synchronized long oldestRetainedMsn() {
        return segments.isEmpty() ? -1 : segments.get(0).msn;
    }

    /** Media sequence number of the first segment in the playlist. */
    public synchronized long firstPlaylistMsn() {
        return windowStart < segments.size() ? segments.get(windowStart).msn : -1;
    }

    // ---- internals, all under the monitor ----

    private long lastCompleteMsn() {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (segments.get(i).complete) {
                return segments.get(i).msn;
            }
        }
        return segments.isEmpty() ? -1 : segments.get(0).msn - 1;
    }

    /** How far ahead of the last published part (msn, part) is, counted in parts (a lower bound). */
    private long partsAhead(long msn, int part) {
        if (open != null && msn == open.msn) {
            return part - (open.parts.size() - 1L);
        }
        long liveMsn = open != null ? open.msn : lastCompleteMsn() + 1;
        if (msn > liveMsn) {
            return part + 1L;
        }
        return 0;
    }

    /**
     * §6.2.5.2: the playlist contains segment {@code msn} or later (no part asked), or part
     * {@code part} of segment {@code msn} or later; a part index past a complete segment's last
     * means part 0 of the next segment.
     */
    private boolean satisfied(long msn, int part) {
        if (part < 0) {
            return lastCompleteMsn() >= msn;
        }
        StoredSegment s = segment(msn);
        if (s == null) {
            return !segments.isEmpty() && msn < segments.get(0).msn; // long gone: anything newer will do
        }
        if (part < s.parts.size()) {
            return true;
        }
        if (s.complete) {
            StoredSegment next = segment(msn + 1);
            return next != null && !next.parts.isEmpty();
        }
        return false;
    }

    private StoredSegment segment(long msn) {
        if (segments.isEmpty()) {
            return null;
        }
        long i = msn - segments.get(0).msn;
        return i >= 0 && i < segments.size() ? segments.get((int) i) : null;
    }

    private void slideWindow() {
        long windowUs = config.windowTargetDurations() * config.timing().targetDurationUs();
        long totalUs = 0;
        for (int i = windowStart; i < segments.size(); i++) {
            totalUs += segments.get(i).durationUs;
        }
        long now = origin.nowMs();
        // §6.2.2: never shorter than the window (at least 3 x TD), oldest segments leave first.
        while (windowStart < segments.size() - 1 && segments.get(windowStart).complete
                && totalUs - segments.get(windowStart).durationUs >= windowUs) {
            StoredSegment gone = segments.get(windowStart);
            totalUs -= gone.durationUs;
            gone.removedAtMs = now;
            if (gone.discontinuity) {
                discontinuitySequence++; // §6.2.2: keep the Discontinuity Sequence Numbers unchanged
            }
            windowStart++;
        }
    }

    private void purge(long nowMs) {
        while (windowStart > 0 && segments.get(0).removedAtMs + config.retentionMs() <= nowMs) {
            segments.remove(0);
            windowStart--;
        }
    }

    private void releaseWaiters(List<Runnable> sends) {
        if (!playlistWaiters.isEmpty()) {
            for (Iterator<PlaylistWaiter> it = playlistWaiters.iterator(); it.hasNext();) {
                PlaylistWaiter w = it.next();
                if (ended || satisfied(w.request.msn(), w.request.part())) {
                    it.remove();
                    OriginResponse r = playlistResponse(w.request.skip(), w.request.acceptsGzip(), true);
                    sends.add(() -> w.exchange.respond(r));
                }
            }
        }
        for (Iterator<ResourceWaiter> it = resourceWaiters.iterator(); it.hasNext();) {
            ResourceWaiter w = it.next();
            StoredSegment s = segment(w.request.msn());
            if (w.request.kind() == OriginRequest.Kind.SEGMENT) {
                if (s == null) {
                    it.remove();
                    sends.add(w::abort);
                } else if (feedSegmentWaiter(w, s, sends)) {
                    it.remove();
                }
            } else if (s != null && w.request.part() < s.partData.size()) {
                it.remove();
                OriginResponse r = media(s.partData.get(w.request.part()));
                sends.add(() -> w.exchange.respond(r));
            } else if (ended || (s != null && s.complete) || !isHinted(w.request.msn(), w.request.part())) {
                // §6.2.6: a hinted part that will not be published is "Not Found".
                it.remove();
                OriginResponse r = notFound();
                sends.add(() -> w.exchange.respond(r));
            }
        }
    }

    /** Sends the parts of an in-progress segment not sent yet; returns true once it is finished. */
    private boolean feedSegmentWaiter(ResourceWaiter w, StoredSegment s, List<Runnable> sends) {
        if (!w.started && s.partData.isEmpty() && !s.complete) {
            return false;
        }
        if (!w.started) {
            w.started = true;
            OriginResponse head = media(NO_BYTES).headOnly();
            sends.add(() -> w.exchange.beginChunked(head));
        }
        while (w.partsSent < s.partData.size()) {
            byte[] p = s.partData.get(w.partsSent++);
            sends.add(() -> w.exchange.chunk(p, 0, p.length));
        }
        if (s.complete || ended) {
            sends.add(w.exchange::end);
            return true;
        }
        return false;
    }

    private OriginResponse playlistResponse(boolean delta, boolean gzip, boolean blocking) {
        long edgeVersion = origin.edgeVersion();
        if (cachedStateVersion != stateVersion || cachedEdgeVersion != edgeVersion) {
            Arrays.fill(cachedPlaylists, null);
            cachedStateVersion = stateVersion;
            cachedEdgeVersion = edgeVersion;
        }
        int slot = (delta && !ended ? 2 : 0) + (gzip ? 1 : 0);
        byte[] body = cachedPlaylists[slot];
        if (body == null) {
            byte[] plain = cachedPlaylists[slot & 2];
            if (plain == null) {
                plain = render(delta && !ended).getBytes(StandardCharsets.UTF_8);
                cachedPlaylists[slot & 2] = plain;
            }
            body = gzip ? gzip(plain) : plain;
            cachedPlaylists[slot] = body;
        }
        long tdMs = config.timing().targetDurationS() * 1000L;
        // Appendix B of the LL-HLS server guidance: a blocking response names one playlist version
        // forever, so a CDN may keep it for 6 TD; a plain reload may be stale for half a TD.
        String cache = blocking ? "public, max-age=" + 6 * tdMs / 1000 : "public, max-age=" + Math.max(1, tdMs / 2000);
        return new OriginResponse(200, "application/vnd.apple.mpegurl", cache, gzip, true, body);
    }

    private String render(boolean delta) {
        List<SegmentEntry> entries = new ArrayList<>(segments.size() - windowStart);
        for (int i = windowStart; i < segments.size(); i++) {
            StoredSegment s = segments.get(i);
            entries.add(s.entry(segmentUri(s.msn), initUri));
        }
        String hint = null;
        if (!ended) {
            if (open != null) {
                hint = partUri(open.msn, open.parts.size());
            } else if (!segments.isEmpty()) {
                hint = partUri(segments.get(segments.size() - 1).msn + 1, 0);
            }
        }
        return MediaPlaylistWriter.write(config.timing(), discontinuitySequence, entries, hint,
                origin.reportsExcept(this), delta, ended);
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(plain.length / 3 + 32);
        try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private OriginResponse media(byte[] body) {
        // Parts, segments and init segments never change once published: cache them for long.
        return new OriginResponse(200, mediaContentType, "public, max-age=31536000, immutable", false, false, body);
    }

    private static OriginResponse notFound() {
        return OriginResponse.status(404, "no-cache");
    }

    private static void runAll(List<Runnable> sends) {
        for (int i = 0; i < sends.size(); i++) {
            sends.get(i).run();
        }
    }

    /** A playlist request parked until its segment or part exists. */
    private static final class PlaylistWaiter {
        final OriginRequest request;
        final OriginExchange exchange;
        final long deadlineMs;

        PlaylistWaiter(OriginRequest request, OriginExchange exchange, long deadlineMs) {
            this.request = request;
            this.exchange = exchange;
            this.deadlineMs = deadlineMs;
        }
    }

    /** A part or segment request parked until (more of) it exists. */
    private static final class ResourceWaiter {
        final OriginRequest request;
        final OriginExchange exchange;
        final long deadlineMs;
        boolean started;
        int partsSent;

        ResourceWaiter(OriginRequest request, OriginExchange exchange, long deadlineMs) {
            this.request = request;
            this.exchange = exchange;
            this.deadlineMs = deadlineMs;
        }

        void abort() {
            if (started) {
                exchange.end();
            } else {
                exchange.respond(notFound());
            }
        }
    }
}
