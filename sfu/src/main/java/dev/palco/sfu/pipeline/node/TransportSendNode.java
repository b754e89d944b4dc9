package dev.palco.sfu.pipeline.node;

import dev.palco.sfu.pipeline.ConsumerNode;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.transport.MediaTransport;
import dev.palco.sfu.transport.SendResult;

/**
 * Hands a protected packet to the transport and returns it to the pool. The transport copies or
 * writes it before {@code send} returns, so the buffer is free afterwards.
 */
public final class TransportSendNode extends ConsumerNode {
  private final MediaTransport transport;

  public TransportSendNode(String name, MediaTransport transport) {
    super(name);
    this.transport = transport;
  }

  @Override
  protected void consume(PacketInfo packet) {
    SendResult result = transport.send(packet.buffer(), packet.offset(), packet.length());
    switch (result) {
      case SENT:
        release(packet);
        break;
      case NOT_CONNECTED:
      case CLOSED:
        reject(packet, DropReason.TRANSPORT_NOT_READY);
        break;
      default:
        reject(packet, DropReason.SEND_FAILED);
        break;
    }
  }
}
