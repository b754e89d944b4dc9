package dev.palco.bridge.origin;

import dev.palco.bridge.cmaf.MediaKind;
import dev.palco.bridge.playlist.AudioRenditionEntry;
import dev.palco.bridge.playlist.MultivariantPlaylistWriter;
import dev.palco.bridge.playlist.RenditionReport;
import dev.palco.bridge.playlist.VariantEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The LL-HLS origin's logic, without HTTP: the renditions of one presentation, the multivariant
 * playlist, request routing, viewer tokens, and time (blocking timeouts and retention), all driven
 * by an injected {@link Clock} so that tests control it.
 *
 * <p>Typical wiring: {@code Rendition v0 = origin.addRendition(spec)}, then a
 * {@link dev.palco.bridge.cmaf.CmafSegmenter} per rendition with {@code v0} as its listener, and an
 * {@link OriginServer} in front. {@link #tick()} must run periodically (the server does it every
 * 100 ms on an event loop).
 */
public final class LiveOrigin {

    /** GROUP-ID of the audio renditions. */
    public static final String AUDIO_GROUP = "aud";

    private final OriginConfig config;
    private final Clock clock;
    private final List<Rendition> renditions = new CopyOnWriteArrayList<>();
    private final AtomicLong edgeVersion = new AtomicLong();
    private volatile byte[] multivariant;
    private volatile boolean ended;
    // Requests by kind, and blocking playlist requests (_HLS_msn): what a CDN edge lets through.
    private final LongAdder[] requestCounts = new LongAdder[OriginRequest.Kind.values().length];
    private final LongAdder blockingPlaylistRequests = new LongAdder();

    /** An origin with {@code config}, telling time with {@code clock}. */
    public LiveOrigin(OriginConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < requestCounts.length; i++) {
            requestCounts[i] = new LongAdder();
        }
    }

    /** The settings. */
    public OriginConfig config() {
        return config;
    }

    /** Adds a rendition; do this before serving. Returns the segmenter listener that feeds it. */
    public Rendition addRendition(RenditionSpec spec) {
        for (Rendition r : renditions) {
            if (r.spec().name().equals(spec.name())) {
                throw new IllegalArgumentException("duplicate rendition " + spec.name());
            }
        }
        Rendition r = new Rendition(this, spec, config);
        renditions.add(r);
        multivariant = null;
        return r;
    }

    /** The rendition called {@code name}, or null. */
    public Rendition rendition(String name) {
        for (Rendition r : renditions) {
            if (r.spec().name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Ends the presentation: every playlist gets EXT-X-ENDLIST and parked requests are answered. */
    public void end() {
        ended = true;
        for (Rendition r : renditions) {
            r.end();
        }
    }

    /** Answers 503 to requests parked too long and drops expired segments. */
    public void tick() {
        long now = nowMs();
        for (Rendition r : renditions) {
            r.expire(now);
        }
    }

    /** Routes one request. The answer goes to {@code ex}, now or when what it waits for exists. */
    public void handle(OriginRequest req, OriginExchange ex) {
        requestCounts[req.kind().ordinal()].increment();
        if (req.kind() == OriginRequest.Kind.PLAYLIST && req.msn() >= 0) {
            blockingPlaylistRequests.increment();
        }
        if (config.viewerTokenKey() != null
                && !ViewerTokens.verify(config.viewerTokenKey(), req.token(), clock.millis() / 1000)) {
            ex.respond(OriginResponse.status(403, "no-store"));
            return;
        }
        switch (req.kind()) {
            case INVALID -> ex.respond(OriginResponse.status(400, "no-store"));
            case UNKNOWN -> ex.respond(OriginResponse.status(404, "no-cache"));
            case MULTIVARIANT -> ex.respond(multivariantResponse());
            default -> {
                Rendition r = rendition(req.rendition());
                if (r == null) {
                    ex.respond(OriginResponse.status(404, "no-cache"));
                } else if (req.kind() == OriginRequest.Kind.PLAYLIST) {
                    r.playlist(req, ex);
                } else {
                    r.resource(req, ex);
                }
            }
        }
    }

    long nowMs() {
        return clock.millis();
    }

    void edgeMoved() {
        edgeVersion.incrementAndGet();
    }

    long edgeVersion() {
        return edgeVersion.get();
    }

    /** EXT-X-RENDITION-REPORT for every rendition but {@code self} (RFC 8216bis §4.4.5.4). */
    List<RenditionReport> reportsExcept(Rendition self) {
        List<RenditionReport> reports = new ArrayList<>(renditions.size());
        for (Rendition r : renditions) {
            if (r != self) {
                reports.add(r.edge());
            }
        }
        return reports;
    }

    private OriginResponse multivariantResponse() {
        byte[] body = multivariant;
        if (body == null) {
            body = renderMultivariant().getBytes(StandardCharsets.UTF_8);
            multivariant = body;
        }
        long tdS = config.timing().targetDurationS();
        return new OriginResponse(200, "application/vnd.apple.mpegurl", "public, max-age=" + Math.max(1, tdS / 2),
                false, false, body);
    }

    private String renderMultivariant() {
        List<AudioRenditionEntry> audio = new ArrayList<>();
        RenditionSpec mainAudio = null;
        for (Rendition r : renditions) {
            RenditionSpec s = r.spec();
            if (s.format().kind() == MediaKind.AUDIO) {
                audio.add(new AudioRenditionEntry(AUDIO_GROUP, s.displayName() == null ? s.name() : s.displayName(),
                        null, s.name() + ".m3u8", s.format().aac().channelCount(), mainAudio == null));
                if (mainAudio == null) {
                    mainAudio = s;
                }
            }
        }
        List<VariantEntry> variants = new ArrayList<>();
        for (Rendition r : renditions) {
            RenditionSpec s = r.spec();
            if (s.format().kind() != MediaKind.VIDEO) {
                continue;
            }
            long peak = s.peakBitrateBps() + (mainAudio == null ? 0 : mainAudio.peakBitrateBps());
            long avg = s.averageBitrateBps() + (mainAudio == null ? 0 : mainAudio.averageBitrateBps());
            String codecs = s.format().codecs() + (mainAudio == null ? "" : "," + mainAudio.format().codecs());
            variants.add(new VariantEntry(s.name() + ".m3u8", peak, avg, codecs, s.format().avc().widthPx(),
                    s.format().avc().heightPx(), s.frameRate(), mainAudio == null ? null : AUDIO_GROUP));
        }
        return MultivariantPlaylistWriter.write(audio, variants);
    }

    /** Requests of {@code kind} handled so far (before token checks). */
    public long requests(OriginRequest.Kind kind) {
        return requestCounts[kind.ordinal()].sum();
    }

    /** Media playlist requests with {@code _HLS_msn} (blocking reloads) handled so far. */
    public long blockingPlaylistRequests() {
        return blockingPlaylistRequests.sum();
    }

    /** Requests parked right now, all renditions together. */
    public int parkedRequests() {
        int n = 0;
        for (Rendition r : renditions) {
            n += r.parkedRequests();
        }
        return n;
    }

    /** Whether {@link #end()} was called. */
    public boolean ended() {
        return ended;
    }

    /**
     * Whether a player that opens the stream now finds what it needs to start behind the live
     * edge: every rendition lists a whole segment. Before that a media playlist holds at most one
     * segment's first parts, less than PART-HOLD-BACK (RFC 8216bis §4.4.3.8), and hls.js either
     * reports it empty or starts on the edge and stalls.
     */
    public boolean playable() {
        if (renditions.isEmpty()) {
            return false;
        }
        for (Rendition r : renditions) {
            if (!r.listsCompleteSegment()) {
                return false;
            }
        }
        return true;
    }
}
