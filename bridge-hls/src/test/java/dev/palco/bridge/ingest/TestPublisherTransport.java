package dev.palco.bridge.ingest;

import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.room.PlaintextMediaTransport;
import dev.palco.sfu.transport.SendResult;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A publisher's side of an in-memory, plaintext transport: the test delivers RTP and RTCP as the
 * network would, and sees the keyframe requests (PLI, FIR) the SFU sends back.
 */
final class TestPublisherTransport implements PlaintextMediaTransport {
  private final String id;
  private volatile MediaReceiver receiver;
  private volatile boolean closed;
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  final AtomicInteger keyframeRequests = new AtomicInteger();
  final AtomicBoolean keyframeWanted = new AtomicBoolean();

  TestPublisherTransport(String id) {
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void setMediaReceiver(MediaReceiver r) {
    receiver = r;
  }

  @Override
  public SrtpSession srtp() {
    return null;
  }

  @Override
  public synchronized SendResult send(byte[] buf, int off, int len) {
    if (closed) {
      return SendResult.CLOSED;
    }
    if (rtcp.reset(buf, off, len) == RtcpDropReason.OK) {
      while (rtcp.next()) {
        // RFC 4585 §6.3.1 PLI, RFC 5104 §4.3.1 FIR.
        if (rtcp.packetType() == RtcpHeader.PT_PSFB
            && (rtcp.count() == RtcpFeedback.FMT_PLI || rtcp.count() == 4)) {
          keyframeRequests.incrementAndGet();
          keyframeWanted.set(true);
        }
      }
    }
    return SendResult.SENT;
  }

  @Override
  public boolean isSecured() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  void deliver(byte[] packet, boolean isRtcp) {
    MediaReceiver r = receiver;
    if (r != null && !closed) {
      r.onMedia(packet, 0, packet.length, isRtcp, System.nanoTime());
    }
  }
}
