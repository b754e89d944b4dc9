package dev.palco.loadtest.generator;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.rtcp.SdesEncoder;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SyntheticAudioSource;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.SyntheticVideoSource;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.stats.NtpTime;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One simulated publisher: a VP8-like frame-size model at a target bitrate and frame rate with a
 * keyframe every N seconds ({@link SyntheticVideoSource}) plus Opus at 50 packets/s, each packet
 * stamped with its send time ({@link SyntheticPayload}) just before it is protected. It answers
 * the server's feedback as a browser's sender does: a PLI or FIR makes the next frame a keyframe,
 * and a NACK (RFC 4585 §6.2.1) is answered from a history of the last {@value #HISTORY_PACKETS}
 * video packets with RTX (RFC 4588 §4). A sender report goes out every second (RFC 3550 §6.4.1).
 *
 * <p>Threads: {@link #pump} runs on the {@link MediaLoop}; feedback arrives on the client's ICE
 * reader thread and retransmits from there. The history is locked because both touch it.
 */
public final class StreamPublisher implements AutoCloseable {
  /** Payload types the publisher offers. */
  public static final int VP8_PT = 96;
  /** RTX for {@link #VP8_PT}. */
  public static final int VP8_RTX_PT = 97;
  /** Opus. */
  public static final int OPUS_PT = 111;
  /** RTP payload budget: a 1200-byte packet plus SRTP leaves room under a 1280-byte path MTU. */
  static final int MAX_PAYLOAD_BYTES = 1_150;
  private static final int OPUS_PAYLOAD_BYTES = 80;
  private static final int HISTORY_PACKETS = 1024;
  private static final int SLOT_BYTES = RtpPacket.HEADER_SIZE_BYTES + MAX_PAYLOAD_BYTES;
  /** RFC 4588 §4: the original sequence number precedes the original payload. */
  private static final int OSN_SIZE_BYTES = 2;

  private final MediaClient client;
  private final long videoSsrc;
  private final long rtxSsrc;
  private final long audioSsrc;
  private final PublisherSchedule schedule;
  private final SyntheticVideoSource video;
  private final SyntheticAudioSource audio;
  private final byte[] sendBuffer = new byte[SLOT_BYTES + OSN_SIZE_BYTES + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  private final byte[] rtxBuffer = new byte[SLOT_BYTES + OSN_SIZE_BYTES + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  private final byte[] rtcpBuffer = new byte[256];
  private final byte[] cname = "palco-loadtest".getBytes(StandardCharsets.US_ASCII);
  private final byte[] history = new byte[HISTORY_PACKETS * SLOT_BYTES];
  private final int[] historyLength = new int[HISTORY_PACKETS];
  private final int[] historySeq = new int[HISTORY_PACKETS];
  private final PublisherFeedback feedback;
  private final AtomicBoolean keyframeWanted = new AtomicBoolean();
  private final LongAdder packetsSent = new LongAdder();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder rtxSent = new LongAdder();

  // Made once: a method reference passed per frame would be a new object each time.
  private final SyntheticVideoSource.PacketSink videoSink = this::sendVideo;
  private final SyntheticVideoSource.PacketSink audioSink = this::sendAudio;

  private int rtxSeq;
  private long lastRtpTimestamp;
  private long videoPackets;
  private long videoOctets;
  private volatile boolean running = true;

  /**
   * @param client the connected (or about to be connected) client
   * @param seed seeds SSRCs and the frame-size model
   * @param bitrateBps target video bitrate
   * @param fps video frame rate
   * @param keyframeIntervalS a periodic keyframe every this many seconds
   */
  public StreamPublisher(MediaClient client, long seed, int bitrateBps, int fps, double keyframeIntervalS) {
    this.client = client;
    SplittableRandom random = new SplittableRandom(seed);
    this.videoSsrc = 0x1000_0000L + random.nextInt(0x1000_0000);
    this.rtxSsrc = videoSsrc + 1;
    this.audioSsrc = videoSsrc + 2;
    this.schedule = new PublisherSchedule(fps);
    this.video = new SyntheticVideoSource(videoSsrc, VP8_PT, fps, bitrateBps,
        Math.max(2, (int) Math.round(keyframeIntervalS * fps)), MAX_PAYLOAD_BYTES, 1280, 720, random.split());
    this.audio = new SyntheticAudioSource(audioSsrc, OPUS_PT, OPUS_PAYLOAD_BYTES, random.split());
    this.rtxSeq = random.nextInt(1 << 16);
    for (int i = 0; i < HISTORY_PACKETS; i++) {
      historySeq[i] = -1;
    }
    // A NACK for any SSRC is looked up in the video history by sequence number; audio is not kept.
    this.feedback = new PublisherFeedback(new PublisherFeedback.Handler() {
      @Override
      public void onKeyframeRequest(long mediaSsrc) {
        keyframeWanted.set(true);
      }

      @Override
      public void onNack(long mediaSsrc, int sequenceNumber) {
        retransmit(sequenceNumber);
      }
    });
    client.setMediaReceiver((buf, off, len, isRtcp, arrivalNanos) -> feedback.onPacket(buf, off, len, isRtcp));
  }

  /** The video SSRC (RTX is this plus one, audio plus two). */
  public long videoSsrc() {
    return videoSsrc;
  }

  /** The RTX SSRC. */
  public long rtxSsrc() {
    return rtxSsrc;
  }

  /** The audio SSRC. */
  public long audioSsrc() {
    return audioSsrc;
  }

  /** The client. */
  public MediaClient client() {
    return client;
  }

  /** RTP packets sent, RTX included. */
  public long packetsSent() {
    return packetsSent.sum();
  }

  /** RTP bytes sent (before SRTP), RTX included. */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Sequence numbers the server asked for again. */
  public long nacksReceived() {
    return feedback.nacksReceived();
  }

  /** RTX packets sent in answer. */
  public long rtxSent() {
    return rtxSent.sum();
  }

  /** PLIs and FIRs received. */
  public long keyframeRequests() {
    return feedback.keyframeRequests();
  }

  /**
   * Sends whatever is due at {@code nowNanos}; called by the media loop only.
   *
   * @return when this publisher next has something to send
   */
  long pump(long nowNanos) {
    if (!running) {
      return nowNanos + PublisherSchedule.SR_INTERVAL_NANOS;
    }
    for (int i = 0; i < PublisherSchedule.MAX_CATCH_UP; i++) {
      PublisherSchedule.Due due = schedule.next(nowNanos);
      if (due == PublisherSchedule.Due.AUDIO) {
        audio.nextPacket(audioSink);
      } else if (due == PublisherSchedule.Due.VIDEO) {
        if (keyframeWanted.getAndSet(false)) {
          video.requestKeyframe();
        }
        video.nextFrame(videoSink);
      } else {
        break;
      }
    }
    if (schedule.senderReportDue(nowNanos)) {
      sendSenderReport();
    }
    return schedule.nextDueNanos();
  }

  private void sendAudio(byte[] buf, int off, int len, int bodyOffset) {
    System.arraycopy(buf, off, sendBuffer, 0, len);
    SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off, System.nanoTime());
    send(sendBuffer, len);
  }

  private void sendVideo(byte[] buf, int off, int len, int bodyOffset) {
    int seq = RtpPacket.sequenceNumber(buf, off);
    int slot = seq & (HISTORY_PACKETS - 1);
    int slotOff = slot * SLOT_BYTES;
    synchronized (history) {
      System.arraycopy(buf, off, history, slotOff, len);
      SyntheticPayload.stampSendTime(history, slotOff + bodyOffset - off, System.nanoTime());
      historyLength[slot] = len;
      historySeq[slot] = seq;
      System.arraycopy(history, slotOff, sendBuffer, 0, len);
    }
    lastRtpTimestamp = RtpPacket.timestamp(buf, off);
    videoPackets++;
    videoOctets += len - RtpPacket.HEADER_SIZE_BYTES;
    send(sendBuffer, len);
  }

  private void send(byte[] buf, int len) {
    if (client.sendRtp(buf, 0, len) == ClientSendResult.SENT) {
      packetsSent.increment();
      bytesSent.add(len);
    }
  }

  /** RFC 3550 §6.4.1 SR for the video stream plus the SDES CNAME a compound packet needs (§6.1). */
  private void sendSenderReport() {
    long ntp = NtpTime.fromUnixMillis(System.currentTimeMillis());
    int len = SenderReportEncoder.write(rtcpBuffer, 0, (int) videoSsrc, ntp, (int) lastRtpTimestamp, videoPackets,
        videoOctets, null, 0);
    len += SdesEncoder.writeCname(rtcpBuffer, len, (int) videoSsrc, cname, 0, cname.length);
    client.sendRtcp(rtcpBuffer, 0, len);
  }

  /** RFC 4588 §4: the RTX packet carries the original sequence number, then the original payload. */
  private void retransmit(int seq) {
    int slot = seq & (HISTORY_PACKETS - 1);
    int len;
    synchronized (history) {
      if (historySeq[slot] != seq) {
        return;
      }
      int slotOff = slot * SLOT_BYTES;
      len = historyLength[slot];
      int header = RtpPacket.HEADER_SIZE_BYTES;
      System.arraycopy(history, slotOff, rtxBuffer, 0, header);
      rtxBuffer[header] = (byte) (seq >>> 8);
      rtxBuffer[header + 1] = (byte) seq;
      System.arraycopy(history, slotOff + header, rtxBuffer, header + OSN_SIZE_BYTES, len - header);
      len += OSN_SIZE_BYTES;
      RtpPacket.setPayloadType(rtxBuffer, 0, VP8_RTX_PT);
      RtpPacket.setSsrc(rtxBuffer, 0, rtxSsrc);
      RtpPacket.setSequenceNumber(rtxBuffer, 0, rtxSeq);
      rtxSeq = (rtxSeq + 1) & 0xFFFF;
      if (client.sendRtp(rtxBuffer, 0, len) == ClientSendResult.SENT) {
        rtxSent.increment();
        packetsSent.increment();
        bytesSent.add(len);
      }
    }
  }

  /** Stops sending; the client stays open. */
  public void stop() {
    running = false;
  }

  @Override
  public void close() {
    running = false;
    client.close();
  }
}
