package dev.palco.bridge.ingest;

import dev.palco.bridge.stage.StageListener;
import dev.palco.bridge.stage.StageTrack;
import dev.palco.rtp.RtpPacket;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.ExtensionUris;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.stats.SenderReportInfo;

import java.util.EnumMap;
import java.util.Map;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;

/**
 * One followed track, on the ingest thread: jitter buffer → depacketizer → decoder → listener,
 * with the capture-time mapping and the keyframe discipline of a decoder that lost a frame (drop
 * delta frames and ask for a keyframe until one comes; other tracks are not affected).
 */
final class IngestTrack implements VideoDecoder.PictureSink, AudioDecoder.PcmSink {
  /** How often the publisher's last sender report is looked up again (they come about every second). */
  private static final long SENDER_REPORT_CHECK_US = 250_000;

  /** The codecs the ingest decodes. */
  enum Codec {
    VP8,
    H264,
    OPUS
  }

  final StageTrack stage;
  final TrackPublication publication;
  private final StageListener listener;
  private final CaptureClock captureClock;
  private final Codec codec;
  private final int payloadType;
  private final int clockRateHz;
  private final JitterBuffer jitter;
  private final EncodedFrame frame = new EncodedFrame();
  private final long keyframeRetryUs;
  private final StageIngest owner;

  private VideoDecoder videoDecoder;
  private AudioDecoder audioDecoder;
  private boolean started;
  private boolean waitingForKeyframe = true;
  private long lastKeyframeRequestUs = Long.MIN_VALUE;

  private long srSsrc = -1;
  private long srCheckedUs = Long.MIN_VALUE;
  private SenderReportInfo sr;
  private long captureUs;

  // Counters: written here, read racily by stats().
  private final long[] frameDrops = new long[IngestDropReason.values().length];
  private volatile long received;
  private volatile long packets;
  private volatile long framesDecoded;
  private volatile long outputs;
  private volatile long keyframeRequests;

  /**
   * @return the track, or null when its codec is not one the ingest decodes
   */
  static IngestTrack create(StageIngest owner, StageTrack stage, TrackPublication publication,
      StageListener listener, CaptureClock captureClock, IngestConfig config) {
    CodecParameters first = publication.parameters().codecs().get(0);
    Codec codec;
    Depacketizer depacketizer;
    switch (first.name().toUpperCase(java.util.Locale.ROOT)) {
      case "VP8":
        codec = Codec.VP8;
        depacketizer = new Vp8Depacketizer();
        break;
      case "H264":
        codec = Codec.H264;
        depacketizer = new H264Depacketizer();
        break;
      case "OPUS":
        codec = Codec.OPUS;
        depacketizer = new OpusDepacketizer();
        break;
      default:
        return null;
    }
    Integer abs = publication.parameters().extensionIds().get(ExtensionUris.ABS_CAPTURE_TIME);
    boolean audio = codec == Codec.OPUS;
    JitterBuffer jitter = new JitterBuffer(config.jitterCapacityPackets(),
        (audio ? config.audioMaxWaitMs() : config.videoMaxWaitMs()) * 1000L, audio, depacketizer,
        abs == null ? 0 : abs);
    return new IngestTrack(owner, stage, publication, listener, captureClock, codec, first.payloadType(),
        first.clockRateHz(), jitter, config.keyframeRetryMs() * 1000L);
  }

  private IngestTrack(StageIngest owner, StageTrack stage, TrackPublication publication, StageListener listener,
      CaptureClock captureClock, Codec codec, int payloadType, int clockRateHz, JitterBuffer jitter,
      long keyframeRetryUs) {
    this.owner = owner;
    this.stage = stage;
    this.publication = publication;
    this.listener = listener;
    this.captureClock = captureClock;
    this.codec = codec;
    this.payloadType = payloadType;
    this.clockRateHz = clockRateHz;
    this.jitter = jitter;
    this.keyframeRetryUs = keyframeRetryUs;
    this.waitingForKeyframe = codec != Codec.OPUS;
  }

  /** Takes one packet and plays out whatever frames it completes. */
  void onPacket(byte[] buf, int len, long sourceSsrc, long sourceTimestamp, long arrivalUs, long nowUs) {
    received++;
    if (len >= RtpPacket.HEADER_SIZE_BYTES && RtpPacket.payloadType(buf, 0) != payloadType) {
      frameDrops[IngestDropReason.UNSUPPORTED_CODEC.ordinal()]++;
      return;
    }
    if (jitter.insert(buf, 0, len, sourceSsrc, sourceTimestamp, arrivalUs) == IngestDropReason.OK) {
      packets++;
    }
    drain(nowUs);
  }

  /** Plays out frames whose wait is over (the ingest thread's tick). */
  void drain(long nowUs) {
    while (jitter.poll(nowUs, frame)) {
      onFrame(nowUs);
    }
    if (jitter.takeLoss()) {
      loseReference(nowUs);
    }
    // Also before the track started: its first frame may have come broken (the subscription began
    // inside a keyframe), and nothing else would ever ask for the next one.
    if (waitingForKeyframe && packets > 0 && keyframeRequestDue(nowUs)) {
      requestKeyframe(nowUs);
    }
  }

  private void onFrame(long nowUs) {
    if (jitter.takeLoss()) {
      loseReference(nowUs);
    }
    if (codec != Codec.OPUS) {
      if (waitingForKeyframe && !frame.keyframe) {
        frameDrops[IngestDropReason.WAITING_FOR_KEYFRAME.ordinal()]++;
        if (keyframeRequestDue(nowUs)) {
          requestKeyframe(nowUs);
        }
        return;
      }
      waitingForKeyframe = false;
    }
    captureUs = captureTime(nowUs);
    IngestDropReason r;
    try {
      if (codec == Codec.OPUS) {
        if (audioDecoder == null) {
          audioDecoder = AudioDecoder.openOpus();
        }
        r = audioDecoder.decode(frame, this);
      } else {
        if (videoDecoder == null) {
          videoDecoder = VideoDecoder.open(codec == Codec.VP8 ? avcodec.AV_CODEC_ID_VP8 : avcodec.AV_CODEC_ID_H264);
        }
        r = videoDecoder.decode(frame, this);
      }
    } catch (IllegalStateException e) {
      // The decoder did not open: FFmpeg without the codec. Nothing of this track can be shown.
      r = IngestDropReason.UNSUPPORTED_CODEC;
    }
    if (r != IngestDropReason.OK) {
      frameDrops[r.ordinal()]++;
      if (codec != Codec.OPUS) {
        loseReference(nowUs);
      }
      return;
    }
    framesDecoded++;
  }

  /** A frame was lost or broken: a video decoder must restart at a keyframe. */
  private void loseReference(long nowUs) {
    if (codec == Codec.OPUS) {
      return;
    }
    if (!waitingForKeyframe) {
      waitingForKeyframe = true;
      requestKeyframe(nowUs);
    }
  }

  /** Never asked yet, or the last request has had its time to be answered. */
  private boolean keyframeRequestDue(long nowUs) {
    return lastKeyframeRequestUs == Long.MIN_VALUE || nowUs - lastKeyframeRequestUs >= keyframeRetryUs;
  }

  private void requestKeyframe(long nowUs) {
    lastKeyframeRequestUs = nowUs;
    keyframeRequests++;
    publication.requestKeyframe();
  }

  /**
   * The frame's capture time on our wall clock: abs-capture-time, else its source timestamp
   * through the publisher's last SR for that SSRC (RFC 3550 §6.4.1), each moved onto our clock by
   * the participant's {@link CaptureClock}; before either is known, the arrival time.
   */
  private long captureTime(long nowUs) {
    long senderUs = frame.absCaptureUs;
    if (senderUs == EncodedFrame.NO_CAPTURE_TIME) {
      if (frame.sourceSsrc != srSsrc || nowUs - srCheckedUs >= SENDER_REPORT_CHECK_US) {
        srSsrc = frame.sourceSsrc;
        srCheckedUs = nowUs;
        sr = publication.lastSenderReport(frame.sourceSsrc);
      }
      if (sr == null) {
        return frame.arrivalUs;
      }
      // A signed 32-bit distance: RTP timestamps wrap (RFC 3550 §5.1), the SR may be just after.
      int ticks = (int) (frame.sourceTimestamp - sr.rtpTimestamp());
      senderUs = NtpClock.ntpToUnixMicros(sr.ntp64()) + ticks * 1_000_000L / clockRateHz;
    }
    return captureClock.toLocal(senderUs, frame.arrivalUs);
  }

  @Override
  public void onPicture(AVFrame picture) {
    announce();
    outputs++;
    owner.deliverVideo(listener, stage, picture, captureUs);
  }

  @Override
  public void onPcm(short[] pcm, int sampleFrames, int channels) {
    announce();
    outputs++;
    owner.deliverAudio(listener, stage, pcm, sampleFrames, channels, captureUs);
    // A packet with several Opus frames: the next block starts later.
    captureUs += sampleFrames * 1_000_000L / AudioDecoder.SAMPLE_RATE_HZ;
  }

  private void announce() {
    if (!started) {
      started = true;
      owner.deliverStarted(listener, stage);
    }
  }

  /** Frees the decoders and tells the listener the track ended (if it had started). */
  void end() {
    if (videoDecoder != null) {
      videoDecoder.close();
      videoDecoder = null;
    }
    if (audioDecoder != null) {
      audioDecoder.close();
      audioDecoder = null;
    }
    if (started) {
      started = false;
      owner.deliverEnded(listener, stage);
    }
  }

  IngestStats.Track stats() {
    Map<IngestDropReason, Long> drops = new EnumMap<>(IngestDropReason.class);
    for (IngestDropReason r : IngestDropReason.values()) {
      long n = frameDrops[r.ordinal()] + jitter.drops(r);
      if (n > 0) {
        drops.put(r, n);
      }
    }
    return new IngestStats.Track(stage, received, packets, framesDecoded, outputs, keyframeRequests, drops);
  }
}
