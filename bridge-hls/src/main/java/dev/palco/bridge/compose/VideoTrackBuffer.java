package dev.palco.bridge.compose;

import dev.palco.bridge.stage.StageTrack;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One video track's recent pictures, between the ingest thread that decodes them and the
 * compositor that shows them.
 *
 * <p><b>Arrival</b> ({@link #offer}, the track's ingest thread): the picture is copied into one of
 * a few native frames of its own ({@code av_frame_copy}, a memcpy per plane), under this object's
 * monitor, and the call returns. Nothing is scaled on the ingest thread, and the copy is the only
 * work done there: the ingest never waits for the compositor, which holds the monitor only to pick
 * a slot.
 *
 * <p><b>Compose</b> ({@link #prepare}, the compositor's thread): the newest picture captured at or
 * before the instant being composed is scaled to its tile with swscale, only when it is a new
 * picture or the tile changed size (one {@code SwsContext}, reused while the size holds: a tile
 * shows at most one picture per output frame, and pictures that arrive faster than the output
 * rate are never scaled at all). The slot being scaled is pinned so that arrivals write elsewhere.
 */
final class VideoTrackBuffer implements AutoCloseable {

    /** Pictures held: the presentation delay's worth at 30 fps, plus headroom for jitter. */
    static final int SLOTS = 10;

    private final StageTrack track;
    private final long joinOrder;

    // Guarded by this.
    private final AVFrame[] frames = new AVFrame[SLOTS];
    private final long[] captureUs = new long[SLOTS];
    private final long[] serial = new long[SLOTS];
    private final boolean[] full = new boolean[SLOTS];
    private int pinned = -1;
    private long shownSerial;
    private long nextSerial = 1;
    private long received;
    private long overwritten;
    private long copyErrors;
    private boolean closed;

    // Compositor thread only.
    /** This track's name label, rendered again only when the name or its size changes. */
    final TextMaskCache labels = new TextMaskCache();
    /** This track's name card text. */
    final TextMaskCache cards = new TextMaskCache();
    private SwsContext sws;
    private BytePointer scaledNative;
    private long scaledCapacity;
    private final PointerPointer<BytePointer> scaledPlanes = new PointerPointer<>(4);
    private final IntPointer scaledLinesizes = new IntPointer(4);
    private byte[] scaled = new byte[0];
    private int scaledW;
    private int scaledH;
    private long scaledSerial;
    private long shownCaptureUs = Long.MIN_VALUE;
    private Rect inner;

    VideoTrackBuffer(StageTrack track, long joinOrder) {
        this.track = track;
        this.joinOrder = joinOrder;
    }

    StageTrack track() {
        return track;
    }

    long joinOrder() {
        return joinOrder;
    }

    /** Copies a decoded picture in. Any thread (the track's ingest thread); never waits on scaling. */
    synchronized boolean offer(AVFrame src, long captureTimeUs) {
        if (closed || src == null || src.width() < 2 || src.height() < 2 || src.format() < 0) {
            return false;
        }
        received++;
        int slot = -1;
        int oldest = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (i == pinned) {
                continue;
            }
            if (!full[i]) {
                slot = i;
                break;
            }
            if (serial[i] != shownSerial && (oldest < 0 || serial[i] < serial[oldest])) {
                oldest = i;
            }
        }
        if (slot < 0) {
            slot = oldest;
            overwritten++;
        }
        AVFrame dst = frames[slot];
        if (dst == null) {
            dst = avutil.av_frame_alloc();
            frames[slot] = dst;
        }
        if (dst.width() != src.width() || dst.height() != src.height() || dst.format() != src.format()
                || dst.data(0) == null) {
            avutil.av_frame_unref(dst);
            dst.format(src.format()).width(src.width()).height(src.height());
            if (avutil.av_frame_get_buffer(dst, 32) < 0) {
                copyErrors++;
                full[slot] = false;
                return false;
            }
        }
        if (avutil.av_frame_copy(dst, src) < 0) {
            copyErrors++;
            full[slot] = false;
            return false;
        }
        captureUs[slot] = captureTimeUs;
        serial[slot] = nextSerial++;
        full[slot] = true;
        return true;
    }

    /**
     * Chooses the picture to show at {@code presentationUs} (the newest captured at or before it),
     * scales it into {@code cell} keeping its aspect ratio when it is new or the cell changed, and
     * drops the older pictures. Compositor thread.
     *
     * @return whether there is a picture to show (see {@link #scaled()}, {@link #inner()})
     */
    boolean prepare(long presentationUs, Rect cell) {
        int slot = -1;
        synchronized (this) {
            if (closed) {
                return false;
            }
            int best = -1;
            for (int i = 0; i < SLOTS; i++) {
                if (full[i] && captureUs[i] <= presentationUs && (best < 0 || captureUs[i] > captureUs[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                // Nothing new is due: keep the picture on show, if its slot still holds it.
                for (int i = 0; i < SLOTS; i++) {
                    if (full[i] && serial[i] == shownSerial) {
                        best = i;
                    }
                }
            } else {
                for (int i = 0; i < SLOTS; i++) {
                    if (i != best && full[i] && captureUs[i] < captureUs[best]) {
                        full[i] = false;
                    }
                }
            }
            if (best >= 0) {
                shownSerial = serial[best];
                shownCaptureUs = captureUs[best];
                Rect fit = cell.fit(frames[best].width(), frames[best].height());
                if (serial[best] != scaledSerial || fit.width() != scaledW || fit.height() != scaledH) {
                    pinned = best;
                    slot = best;
                }
                inner = fit;
            } else if (scaledSerial == 0) {
                return false;
            } else {
                // The picture on show was overwritten: keep its scaled copy, centred in the cell.
                inner = Rect.even(cell.x() + (cell.width() - scaledW) / 2, cell.y() + (cell.height() - scaledH) / 2,
                        scaledW, scaledH);
                return true;
            }
        }
        if (slot >= 0) {
            try {
                scale(frames[slot], serialOf(slot));
            } finally {
                synchronized (this) {
                    pinned = -1;
                }
            }
        }
        return scaledSerial != 0 && scaledW > 0;
    }

    private synchronized long serialOf(int slot) {
        return serial[slot];
    }

    private void scale(AVFrame src, long srcSerial) {
        int w = inner.width();
        int h = inner.height();
        if (w < 2 || h < 2) {
            scaledW = 0;
            scaledH = 0;
            scaledSerial = srcSerial;
            return;
        }
        sws = swscale.sws_getCachedContext(sws, src.width(), src.height(), src.format(), w, h,
                avutil.AV_PIX_FMT_YUV420P, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null) {
            return;
        }
        int size = w * h * 3 / 2;
        if (w != scaledW || h != scaledH || scaledNative == null) {
            if (scaledNative == null || scaledCapacity < size) {
                if (scaledNative != null) {
                    avutil.av_free(scaledNative);
                }
                scaledNative = new BytePointer(avutil.av_malloc(size)).capacity(size);
                scaledCapacity = size;
            }
            scaledPlanes.put(0, new BytePointer(scaledNative).position(0));
            scaledPlanes.put(1, new BytePointer(scaledNative).position((long) w * h));
            scaledPlanes.put(2, new BytePointer(scaledNative).position((long) w * h + w * h / 4));
            scaledLinesizes.put(0, w).put(1, w / 2).put(2, w / 2);
            if (scaled.length < size) {
                scaled = new byte[size];
            }
        }
        swscale.sws_scale(sws, src.data(), src.linesize(), 0, src.height(), scaledPlanes, scaledLinesizes);
        scaledNative.position(0).get(scaled, 0, size);
        scaledW = w;
        scaledH = h;
        scaledSerial = srcSerial;
    }

    /** The scaled picture (tightly packed I420, {@link #inner()} sized). Compositor thread. */
    byte[] scaled() {
        return scaled;
    }

    /** Where the scaled picture goes on the canvas. Compositor thread. */
    Rect inner() {
        return inner;
    }

    /** Capture time of the picture on show, or {@link Long#MIN_VALUE} before the first. */
    long shownCaptureUs() {
        return shownCaptureUs;
    }

    /** Pictures handed in. */
    synchronized long received() {
        return received;
    }

    /** Pictures overwritten before they were shown (the compositor fell behind the producer). */
    synchronized long overwritten() {
        return overwritten;
    }

    /** Pictures that could not be copied (allocation failed). */
    synchronized long copyErrors() {
        return copyErrors;
    }

    /** Pictures waiting (not yet shown or dropped). */
    synchronized int queued() {
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (full[i] && serial[i] != shownSerial) {
                n++;
            }
        }
        return n;
    }

    /** Frees the native frames and the scaler. Compositor thread, after the track left. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (int i = 0; i < SLOTS; i++) {
                if (frames[i] != null) {
                    avutil.av_frame_free(frames[i]);
                    frames[i] = null;
                }
            }
        }
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        if (scaledNative != null) {
            avutil.av_free(scaledNative);
            scaledNative = null;
        }
        scaledPlanes.close();
        scaledLinesizes.close();
    }
}
