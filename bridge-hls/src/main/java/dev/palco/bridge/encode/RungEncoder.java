package dev.palco.bridge.encode;

import dev.palco.bridge.cmaf.CmafSegmenter;
import dev.palco.bridge.cmaf.SampleDropReason;
import dev.palco.bridge.cmaf.TrackFormat;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * What the ladder's rungs share: an open FFmpeg encoder, the loop that takes its packets after
 * each frame sent (the send/receive API: {@code avcodec_receive_packet} until {@code EAGAIN}), a
 * reusable copy of each packet's bytes for the rung to package, and the rung's segmenter with its
 * counters. Not thread-safe: one rung thread.
 */
abstract class RungEncoder implements AutoCloseable {

    protected final AVCodecContext ctx;
    protected final TrackFormat format;
    protected CmafSegmenter segmenter;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private byte[] packetBytes;
    private long packets;
    private long encoderErrors;
    private final long[] segmenterResults = new long[SampleDropReason.values().length];

    RungEncoder(AVCodecContext ctx, TrackFormat format, int initialPacketBytes) {
        this.ctx = ctx;
        this.format = format;
        this.packetBytes = new byte[initialPacketBytes];
    }

    /**
     * Receives every packet the encoder has ready, handing each to {@link #deliver}.
     *
     * @return false when the encoder failed (counted)
     */
    protected final boolean drain() {
        while (true) {
            int r = avcodec.avcodec_receive_packet(ctx, packet);
            if (r == Ffmpeg.AVERROR_EAGAIN || r == avutil.AVERROR_EOF()) {
                return true;
            }
            if (r < 0) {
                encoderErrors++;
                return false;
            }
            try {
                int size = packet.size();
                if (size > packetBytes.length) {
                    packetBytes = new byte[Math.max(size, 2 * packetBytes.length)];
                }
                packet.data().get(packetBytes, 0, size);
                packets++;
                deliver(packetBytes, size, packet.pts(), packet.dts());
            } finally {
                avcodec.av_packet_unref(packet);
            }
        }
    }

    /** One encoded packet: {@code bytes[0, size)} (reused after the call) with its pts and dts. */
    protected abstract void deliver(byte[] bytes, int size, long pts, long dts);

    /** Counts a failed send to the encoder. */
    protected final void encoderFailed() {
        encoderErrors++;
    }

    /** Counts what the segmenter said of a sample. */
    protected final void counted(SampleDropReason r) {
        segmenterResults[r.ordinal()]++;
    }

    final TrackFormat format() {
        return format;
    }

    final void attach(CmafSegmenter segmenter) {
        this.segmenter = segmenter;
    }

    final long packets() {
        return packets;
    }

    final long encoderErrors() {
        return encoderErrors;
    }

    final long segmenterResult(SampleDropReason r) {
        return segmenterResults[r.ordinal()];
    }

    /** Frees the packet and the encoder; subclasses free their frames first. */
    @Override
    public void close() {
        avcodec.av_packet_free(packet);
        avcodec.avcodec_free_context(ctx);
    }
}
