package dev.palco.sfu.pipeline.node;

import dev.palco.rtp.srtp.SrtpReceiver;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.TransformerNode;
import dev.palco.sfu.transport.MediaTransport;

/**
 * Unprotects SRTP (RFC 3711 §3.3) or SRTCP (§3.4) in place, according to {@link PacketInfo#rtcp},
 * with the receive half of the transport's SRTP session. The packet window shrinks to the
 * plaintext (tag, SRTCP index and MKI removed).
 *
 * <p>The session is read from the transport on every packet: it appears when DTLS completes, and
 * until then packets are dropped as {@link DropReason#TRANSPORT_NOT_READY}. Runs on the
 * participant's serial queue, which is the only user of the receive half (see
 * {@link SrtpSession}).
 */
public final class SrtpDecryptNode extends TransformerNode {
  private final MediaTransport transport;

  public SrtpDecryptNode(MediaTransport transport) {
    super("srtp-decrypt");
    this.transport = transport;
  }

  @Override
  protected DropReason transform(PacketInfo packet) {
    SrtpSession session = transport.srtp();
    if (session == null) {
      return DropReason.TRANSPORT_NOT_READY;
    }
    SrtpReceiver receiver = session.receiver();
    SrtpStatus status = packet.rtcp
        ? receiver.unprotectRtcp(packet.buffer(), packet.offset(), packet.length())
        : receiver.unprotectRtp(packet.buffer(), packet.offset(), packet.length());
    if (status != SrtpStatus.OK) {
      return toDropReason(status);
    }
    packet.setLength(receiver.lengthBytes());
    return null;
  }

  /** Maps an SRTP outcome other than OK to the reason the pipeline counts. */
  public static DropReason toDropReason(SrtpStatus status) {
    switch (status) {
      case AUTH_FAIL:
        return DropReason.SRTP_AUTH_FAIL;
      case REPLAY_FAIL:
        return DropReason.SRTP_REPLAY;
      default:
        return DropReason.SRTP_OTHER;
    }
  }
}
