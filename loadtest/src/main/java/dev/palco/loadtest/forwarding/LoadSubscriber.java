package dev.palco.loadtest.forwarding;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.rtp.rtcp.RembEncoder;
import dev.palco.sfu.stats.LatencyHistogram;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load run's subscriber: counts the RTP it receives and records, for each packet, the delay
 * from the publisher's send time (stamped in the {@link SyntheticPayload}) to its arrival here,
 * into a histogram shared by all subscribers. Both clocks are this JVM's {@code System.nanoTime}.
 */
public final class LoadSubscriber implements AutoCloseable {
  private static final int REMB_SENDER_SSRC = 0x5EB5EB;
  /** The generator's largest feedback (1200 bytes) with room for the SRTCP tag and index. */
  private static final int FEEDBACK_BUFFER_BYTES = 1500;
  private final MediaClient client;
  private final LatencyHistogram endToEnd;
  private final LongAdder packets;
  private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  private long received;
  /** REMB bitrate announced once a second, or 0 for no bandwidth feedback. */
  private long rembBps;
  private long lastRembNanos;
  private final int[] rembSsrcs = new int[1];
  private final byte[] rembBuffer = new byte[RembEncoder.sizeBytes(1) + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  /** Transport-wide feedback to send, or null without transport-cc. */
  private TransportCcReporter transportCc;
  private final byte[] feedbackBuffer = new byte[FEEDBACK_BUFFER_BYTES];
  private long feedbacksSent;

  /**
   * @param endToEnd shared histogram of publisher-send to subscriber-receive delays
   * @param packets shared count of RTP packets received
   */
  public LoadSubscriber(MediaClient client, LatencyHistogram endToEnd, LongAdder packets) {
    this.client = client;
    this.endToEnd = endToEnd;
    this.packets = packets;
    client.setMediaReceiver(this::onMedia);
  }

  /**
   * Sends a REMB (draft-alvestrand-rmcat-remb-03) announcing {@code bitrateBps} once a second, as a
   * receiver without transport-cc does: the SFU then runs its estimator, pacer and every timer tick
   * for this subscriber, as it does for a browser. 0 (the default) sends no bandwidth feedback.
   */
  public synchronized void sendRemb(long bitrateBps) {
    rembBps = bitrateBps;
  }

  /**
   * Reads the transport-wide sequence number under {@code extensionId} from every packet received
   * and sends transport-cc feedback every {@code intervalMs} (SRTCP-protected), as a browser that
   * agreed transport-cc does: the SFU then runs its delay- and loss-based estimator on every
   * packet report. Call before the first packet.
   */
  public synchronized void sendTransportFeedback(int extensionId, long intervalMs) {
    transportCc = new TransportCcReporter(extensionId, intervalMs);
  }

  /** Transport-cc feedback packets this subscriber sent. */
  public synchronized long feedbacksSent() {
    return feedbacksSent;
  }

  /** RTP packets this subscriber received. */
  public synchronized long received() {
    return received;
  }

  /** The client. */
  public MediaClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
  }

  private synchronized void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    if (rtcp) {
      return;
    }
    int header = RtpPacket.headerLength(buf, off, len);
    if (header < 0) {
      return;
    }
    TransportCcReporter twcc = transportCc;
    if (twcc != null) {
      twcc.onRtp(buf, off, len, arrivalNanos);
      int n;
      while ((n = twcc.writeFeedback(arrivalNanos, feedbackBuffer, 0)) > 0) {
        if (client.sendRtcp(feedbackBuffer, 0, n) == ClientSendResult.SENT) {
          feedbacksSent++;
        }
      }
    }
    if (isPaddingOnly(buf, off, len, header)) {
      // Probe padding (RFC 4588 RTX with only padding) counts for the transport-wide feedback
      // above, but it is not one of the subscription's media packets the SFU counts as sent.
      return;
    }
    received++;
    packets.increment();
    if (rembBps > 0 && arrivalNanos - lastRembNanos >= 1_000_000_000L) {
      lastRembNanos = arrivalNanos;
      rembSsrcs[0] = (int) RtpPacket.ssrc(buf, off);
      int n = RembEncoder.write(rembBuffer, 0, REMB_SENDER_SSRC, rembBps, rembSsrcs, 0, 1);
      client.sendRtcp(rembBuffer, 0, n);
    }
    int payload = off + header;
    int end = off + len;
    int body;
    if (RtpPacket.payloadType(buf, off) == LoadPublisher.VP8_PT) {
      if (vp8.parse(buf, payload, end - payload) != PayloadDropReason.OK) {
        return;
      }
      body = payload + vp8.descriptorLength();
      if (vp8.startOfFrame()) {
        body += vp8.keyframe() ? Vp8PayloadDescriptor.KEYFRAME_HEADER_SIZE_BYTES
            : Vp8PayloadDescriptor.PAYLOAD_HEADER_SIZE_BYTES;
      }
    } else {
      body = payload + 1; // the Opus TOC byte
    }
    if (end - body >= SyntheticPayload.HEADER_SIZE_BYTES && SyntheticPayload.sourceId(buf, body) != 0) {
      endToEnd.record(arrivalNanos - SyntheticPayload.sendNanos(buf, body));
    }
  }

  /** RFC 3550 §5.1: the P bit set and the last byte counting every byte after the header. */
  private static boolean isPaddingOnly(byte[] buf, int off, int len, int header) {
    return RtpPacket.hasPadding(buf, off) && len > header && (buf[off + len - 1] & 0xFF) == len - header;
  }
}
