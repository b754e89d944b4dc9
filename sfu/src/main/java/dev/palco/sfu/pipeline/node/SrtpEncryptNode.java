package dev.palco.sfu.pipeline.node;

import dev.palco.rtp.srtp.SrtpSender;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.TransformerNode;
import dev.palco.sfu.transport.MediaTransport;

/**
 * Protects an outgoing RTP (or RTCP) packet in place with the send half of the transport's SRTP
 * session, using the tailroom of the {@link PacketInfo} buffer for the tag (RFC 3711 §3.1).
 *
 * <p>The send half must be used by one thread at a time: the caller runs this node under the
 * receiving participant's send lock.
 */
public final class SrtpEncryptNode extends TransformerNode {
  private final MediaTransport transport;

  public SrtpEncryptNode(String name, MediaTransport transport) {
    super(name);
    this.transport = transport;
  }

  @Override
  protected DropReason transform(PacketInfo packet) {
    SrtpSession session = transport.srtp();
    if (session == null) {
      return DropReason.TRANSPORT_NOT_READY;
    }
    SrtpSender sender = session.sender();
    SrtpStatus status = packet.rtcp
        ? sender.protectRtcp(packet.buffer(), packet.offset(), packet.length())
        : sender.protectRtp(packet.buffer(), packet.offset(), packet.length());
    if (status != SrtpStatus.OK) {
      return SrtpDecryptNode.toDropReason(status);
    }
    packet.setLength(sender.lengthBytes());
    return null;
  }
}
