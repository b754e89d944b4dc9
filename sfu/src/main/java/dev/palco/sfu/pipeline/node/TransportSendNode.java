package dev.palco.sfu.pipeline.node;

import dev.palco.sfu.pipeline.ConsumerNode;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.transport.MediaTransport;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.util.Clock;

/**
 * Hands a protected packet to the transport and returns it to the pool. The transport copies or
 * writes it before {@code send} returns, so the buffer is free afterwards.
 *
 * <p>Given a {@link LatencyHistogram}, it records for every packet sent the time from {@link
 * PacketInfo#receivedNanos} (when the publisher's transport handed the datagram over) to the
 * return of the socket send: the SFU's own added delay for that subscriber, queueing behind the
 * fan-out included. One clock read and one atomic increment per packet; nothing allocated.
 */
public final class TransportSendNode extends ConsumerNode {
  private final MediaTransport transport;
  private final LatencyHistogram latency;
  private final Clock clock;

  /** A send node that records no latency. */
  public TransportSendNode(String name, MediaTransport transport) {
    this(name, transport, null, null);
  }

  /**
   * @param latency where to record arrival-to-departure times, or null for none
   * @param clock the clock that stamped {@link PacketInfo#receivedNanos} (needed with {@code
   *     latency})
   */
  public TransportSendNode(String name, MediaTransport transport, LatencyHistogram latency, Clock clock) {
    super(name);
    if (latency != null && clock == null) {
      throw new IllegalArgumentException("a latency histogram needs the clock of receivedNanos");
    }
    this.transport = transport;
    this.latency = latency;
    this.clock = clock;
  }

  @Override
  protected void consume(PacketInfo packet) {
    SendResult result = transport.send(packet.buffer(), packet.offset(), packet.length());
    switch (result) {
      case SENT:
        if (latency != null) {
          latency.record(clock.nowNanos() - packet.receivedNanos);
        }
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
