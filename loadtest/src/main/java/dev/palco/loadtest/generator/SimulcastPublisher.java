package dev.palco.loadtest.generator;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.SdesTokenExtension;
import dev.palco.rtp.rtcp.SdesEncoder;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SyntheticAudioSource;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.SyntheticVideoSource;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.stats.NtpTime;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simulated simulcast publisher, as a browser publishes a camera (RFC 8853): one VP8 RTP stream
 * per layer, lowest first, each with its own SSRC, sequence numbers and RTX stream, plus Opus.
 * Every video packet carries the section's mid (RFC 8843 §15) and its layer's rid (RFC 8852 §3.1)
 * in one-byte header extensions (RFC 8285 §4.2); every RTX packet the mid and the repaired rid
 * (RFC 8852 §3.2). Frames are the same VP8-like size model as {@link StreamPublisher}'s at each
 * layer's bitrate and resolution (the resolution is written into every keyframe, which is how a
 * subscriber tells the layer it receives). A PLI or FIR makes the next frame of the layer it names
 * (all layers if it names none of them) a keyframe, a NACK is answered with RTX from the layer's
 * history, and a sender report goes out every second for each layer.
 *
 * <p>Threads: {@link #pump} runs on the {@link MediaLoop}; feedback arrives on the client's ICE
 * reader thread and retransmits from there, under the history's lock.
 */
public final class SimulcastPublisher implements AutoCloseable {
  /** The mid of the audio section in the offer. */
  public static final String AUDIO_MID = "0";
  /** The mid of the video section in the offer. */
  public static final String VIDEO_MID = "1";
  /** One-byte extension id of the mid in the offer. */
  public static final int MID_ID = 9;
  /** One-byte extension id of the rid. */
  public static final int RID_ID = 10;
  /** One-byte extension id of the repaired rid. */
  public static final int REPAIRED_RID_ID = 11;
  private static final int MAX_PAYLOAD_BYTES = StreamPublisher.MAX_PAYLOAD_BYTES - 16;
  private static final int OPUS_PAYLOAD_BYTES = 80;
  private static final int HISTORY_PACKETS = 512;
  private static final int SLOT_BYTES = RtpPacket.HEADER_SIZE_BYTES + 32 + MAX_PAYLOAD_BYTES;
  private static final int OSN_SIZE_BYTES = 2;

  private final MediaClient client;
  private final List<GeneratorOptions.SimulcastLayer> layers;
  private final long[] ssrcs;
  private final long[] rtxSsrcs;
  private final int[] rtxSeqs;
  private final long audioSsrc;
  private final PublisherSchedule schedule;
  private final SyntheticVideoSource[] video;
  private final SyntheticAudioSource audio;
  private final byte[][] ridTokens;
  private final byte[] midToken = SdesTokenExtension.tokenBytes(VIDEO_MID);
  private final byte[] audioMidToken = SdesTokenExtension.tokenBytes(AUDIO_MID);
  private final byte[] sendBuffer = new byte[SLOT_BYTES + OSN_SIZE_BYTES + 32 + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  private final byte[] rtxBuffer = new byte[SLOT_BYTES + OSN_SIZE_BYTES + 32 + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  private final byte[] rtcpBuffer = new byte[256];
  private final byte[] cname = "palco-loadtest".getBytes(StandardCharsets.US_ASCII);
  private final byte[] history;
  private final int[] historyLength;
  private final int[] historySeq;
  private final long[] lastRtpTimestamp;
  private final long[] layerPackets;
  private final long[] layerOctets;
  private final boolean[] keyframeWanted;
  private final PublisherFeedback feedback;
  private final LongAdder packetsSent = new LongAdder();
  private final LongAdder rtxSent = new LongAdder();
  private int currentLayer;
  // Made once: a method reference passed per frame would be a new object each time.
  private final SyntheticVideoSource.PacketSink videoSink = this::sendVideo;
  private final SyntheticVideoSource.PacketSink audioSink = this::sendAudio;
  private volatile boolean running = true;

  /**
   * @param client the client, connected after the offer is answered
   * @param seed seeds SSRCs and the frame-size models
   * @param layers lowest first
   * @param fps frame rate of every layer
   * @param keyframeIntervalS a periodic keyframe every this many seconds
   */
  public SimulcastPublisher(MediaClient client, long seed, List<GeneratorOptions.SimulcastLayer> layers, int fps,
      double keyframeIntervalS) {
    this.client = client;
    this.layers = List.copyOf(layers);
    this.schedule = new PublisherSchedule(fps);
    int n = layers.size();
    SplittableRandom random = new SplittableRandom(seed);
    long base = 0x2000_0000L + random.nextInt(0x1000_0000);
    ssrcs = new long[n];
    rtxSsrcs = new long[n];
    rtxSeqs = new int[n];
    video = new SyntheticVideoSource[n];
    ridTokens = new byte[n][];
    for (int i = 0; i < n; i++) {
      GeneratorOptions.SimulcastLayer l = layers.get(i);
      ssrcs[i] = base + 2L * i;
      rtxSsrcs[i] = ssrcs[i] + 1;
      rtxSeqs[i] = random.nextInt(1 << 16);
      video[i] = new SyntheticVideoSource(ssrcs[i], StreamPublisher.VP8_PT, fps, l.bitrateBps(),
          Math.max(2, (int) Math.round(keyframeIntervalS * fps)), MAX_PAYLOAD_BYTES, l.widthPx(), l.heightPx(),
          random.split());
      ridTokens[i] = SdesTokenExtension.tokenBytes(l.rid());
    }
    audioSsrc = base + 2L * n;
    audio = new SyntheticAudioSource(audioSsrc, StreamPublisher.OPUS_PT, OPUS_PAYLOAD_BYTES, random.split());
    history = new byte[n * HISTORY_PACKETS * SLOT_BYTES];
    historyLength = new int[n * HISTORY_PACKETS];
    historySeq = new int[n * HISTORY_PACKETS];
    java.util.Arrays.fill(historySeq, -1);
    lastRtpTimestamp = new long[n];
    layerPackets = new long[n];
    layerOctets = new long[n];
    keyframeWanted = new boolean[n];
    this.feedback = new PublisherFeedback(new PublisherFeedback.Handler() {
      @Override
      public void onKeyframeRequest(long mediaSsrc) {
        // A request that names none of the layers (or no SSRC at all) asks for all of them.
        int layer = layerOf(mediaSsrc);
        synchronized (keyframeWanted) {
          for (int i = 0; i < keyframeWanted.length; i++) {
            keyframeWanted[i] |= layer < 0 || layer == i;
          }
        }
      }

      @Override
      public void onNack(long mediaSsrc, int sequenceNumber) {
        int layer = layerOf(mediaSsrc);
        if (layer >= 0) {
          retransmit(layer, sequenceNumber);
        }
      }
    });
    client.setMediaReceiver((buf, off, len, isRtcp, arrivalNanos) -> feedback.onPacket(buf, off, len, isRtcp));
  }

  /** The layers, lowest first. */
  public List<GeneratorOptions.SimulcastLayer> layers() {
    return layers;
  }

  /** The media SSRC of layer {@code i}. */
  public long ssrc(int i) {
    return ssrcs[i];
  }

  /** The RTX SSRC of layer {@code i}. */
  public long rtxSsrc(int i) {
    return rtxSsrcs[i];
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
   * Sends whatever is due at {@code nowNanos}: audio, then each layer's frame; called by the
   * media loop only.
   *
   * @return when this publisher next has something to send
   */
  long pump(long nowNanos) {
    if (!running) {
      return nowNanos + PublisherSchedule.SR_INTERVAL_NANOS;
    }
    for (int guard = 0; guard < PublisherSchedule.MAX_CATCH_UP; guard++) {
      PublisherSchedule.Due due = schedule.next(nowNanos);
      if (due == PublisherSchedule.Due.AUDIO) {
        audio.nextPacket(audioSink);
      } else if (due == PublisherSchedule.Due.VIDEO) {
        for (int i = 0; i < video.length; i++) {
          boolean key;
          synchronized (keyframeWanted) {
            key = keyframeWanted[i];
            keyframeWanted[i] = false;
          }
          if (key) {
            video[i].requestKeyframe();
          }
          currentLayer = i;
          video[i].nextFrame(videoSink);
        }
      } else {
        break;
      }
    }
    if (schedule.senderReportDue(nowNanos)) {
      sendSenderReports();
    }
    return schedule.nextDueNanos();
  }

  private void sendAudio(byte[] buf, int off, int len, int bodyOffset) {
    System.arraycopy(buf, off, sendBuffer, 0, len);
    int withExt = addToken(sendBuffer, len, MID_ID, audioMidToken);
    SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off + withExt - len, System.nanoTime());
    send(sendBuffer, withExt);
  }

  /** One packet of layer {@link #currentLayer}: mid and rid added, kept for RTX, sent. */
  private void sendVideo(byte[] buf, int off, int len, int bodyOffset) {
    int layer = currentLayer;
    int seq = RtpPacket.sequenceNumber(buf, off);
    int slot = layer * HISTORY_PACKETS + (seq & (HISTORY_PACKETS - 1));
    int slotOff = slot * SLOT_BYTES;
    int sent;
    synchronized (history) {
      System.arraycopy(buf, off, history, slotOff, len);
      int withMid = RtpHeaderExtensions.add(history, slotOff, len, SLOT_BYTES, MID_ID, midToken, 0, midToken.length);
      int withRid = withMid < 0 ? -1 : RtpHeaderExtensions.add(history, slotOff, withMid, SLOT_BYTES, RID_ID,
          ridTokens[layer], 0, ridTokens[layer].length);
      if (withRid < 0) {
        return; // cannot happen: the payload budget leaves room for both elements
      }
      SyntheticPayload.stampSendTime(history, slotOff + bodyOffset - off + withRid - len, System.nanoTime());
      historyLength[slot] = withRid;
      historySeq[slot] = seq;
      System.arraycopy(history, slotOff, sendBuffer, 0, withRid);
      sent = withRid;
    }
    lastRtpTimestamp[layer] = RtpPacket.timestamp(buf, off);
    layerPackets[layer]++;
    layerOctets[layer] += len - RtpPacket.HEADER_SIZE_BYTES;
    send(sendBuffer, sent);
  }

  private static int addToken(byte[] buf, int len, int id, byte[] token) {
    int n = RtpHeaderExtensions.add(buf, 0, len, buf.length - MediaClient.MAX_SRTP_OVERHEAD_BYTES, id, token, 0,
        token.length);
    return n < 0 ? len : n;
  }

  private void send(byte[] buf, int len) {
    if (client.sendRtp(buf, 0, len) == ClientSendResult.SENT) {
      packetsSent.increment();
    }
  }

  /** RFC 3550 §6.4.1: an SR per layer, each with the SDES CNAME a compound packet needs (§6.1). */
  private void sendSenderReports() {
    long ntp = NtpTime.fromUnixMillis(System.currentTimeMillis());
    for (int i = 0; i < ssrcs.length; i++) {
      int len = SenderReportEncoder.write(rtcpBuffer, 0, (int) ssrcs[i], ntp, (int) lastRtpTimestamp[i],
          layerPackets[i], layerOctets[i], null, 0);
      len += SdesEncoder.writeCname(rtcpBuffer, len, (int) ssrcs[i], cname, 0, cname.length);
      client.sendRtcp(rtcpBuffer, 0, len);
    }
  }

  private int layerOf(long mediaSsrc) {
    for (int i = 0; i < ssrcs.length; i++) {
      if (ssrcs[i] == mediaSsrc) {
        return i;
      }
    }
    return -1;
  }

  /**
   * RFC 4588 §4: the RTX packet carries the original sequence number, then the original payload;
   * its rid element becomes the repaired rid (RFC 8852 §3.2).
   */
  private void retransmit(int layer, int seq) {
    int slot = layer * HISTORY_PACKETS + (seq & (HISTORY_PACKETS - 1));
    synchronized (history) {
      if (historySeq[slot] != seq) {
        return;
      }
      int slotOff = slot * SLOT_BYTES;
      int len = historyLength[slot];
      int header = RtpPacket.headerLength(history, slotOff, len);
      if (header < 0) {
        return;
      }
      // Rebuild the header without extensions, then add mid and repaired rid.
      System.arraycopy(history, slotOff, rtxBuffer, 0, RtpPacket.HEADER_SIZE_BYTES);
      rtxBuffer[0] &= (byte) ~0x10; // X = 0: no extension block yet
      int out = RtpPacket.HEADER_SIZE_BYTES;
      rtxBuffer[out] = (byte) (seq >>> 8);
      rtxBuffer[out + 1] = (byte) seq;
      System.arraycopy(history, slotOff + header, rtxBuffer, out + OSN_SIZE_BYTES, len - header);
      out += OSN_SIZE_BYTES + len - header;
      RtpPacket.setPayloadType(rtxBuffer, 0, StreamPublisher.VP8_RTX_PT);
      RtpPacket.setSsrc(rtxBuffer, 0, rtxSsrcs[layer]);
      RtpPacket.setSequenceNumber(rtxBuffer, 0, rtxSeqs[layer]);
      rtxSeqs[layer] = (rtxSeqs[layer] + 1) & 0xFFFF;
      out = addToken(rtxBuffer, out, MID_ID, midToken);
      out = addToken(rtxBuffer, out, REPAIRED_RID_ID, ridTokens[layer]);
      if (client.sendRtp(rtxBuffer, 0, out) == ClientSendResult.SENT) {
        rtxSent.increment();
        packetsSent.increment();
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
