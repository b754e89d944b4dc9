package dev.palco.loadtest.forwarding;

import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.transport.MediaTransport;
import dev.palco.sfu.transport.SendResult;

/**
 * A {@link MediaTransport} without sockets, for driving the SFU's pipelines in a microbenchmark:
 * the benchmark delivers protected datagrams as the network would, and what the SFU sends is
 * counted and dropped.
 */
final class InMemoryTransport implements MediaTransport {
  private final String id;
  private final SrtpSession srtp;
  private volatile MediaReceiver receiver;
  private long sentPackets;
  private long sentBytes;

  InMemoryTransport(String id, SrtpSession srtp) {
    this.id = id;
    this.srtp = srtp;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void setMediaReceiver(MediaReceiver receiver) {
    this.receiver = receiver;
  }

  @Override
  public SrtpSession srtp() {
    return srtp;
  }

  @Override
  public SendResult send(byte[] buf, int off, int len) {
    sentPackets++;
    sentBytes += len;
    return SendResult.SENT;
  }

  @Override
  public boolean isSecured() {
    return true;
  }

  @Override
  public void close() {
    // Nothing to release: no socket, and the session's owner closes it.
  }

  /** Delivers a protected datagram as the network would. */
  void deliver(byte[] buf, int off, int len, boolean rtcp) {
    receiver.onMedia(buf, off, len, rtcp, System.nanoTime());
  }

  long sentPackets() {
    return sentPackets;
  }

  long sentBytes() {
    return sentBytes;
  }
}
