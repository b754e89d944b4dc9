package dev.palco.sfu.room;

import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.transport.MediaTransport;
import dev.palco.sfu.transport.SendResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link MediaTransport} without sockets: what the SFU sends is kept (or only counted), and the
 * test delivers datagrams as if they came from the network.
 */
class InMemoryMediaTransport implements MediaTransport {
  private final String id;
  private final SrtpSession srtp;
  private final List<byte[]> sent = new ArrayList<>();
  private volatile MediaReceiver receiver;
  private volatile boolean closed;
  private volatile boolean recordSent = true;
  private volatile boolean handshakeDone = true;
  private long sentCount;

  InMemoryMediaTransport(String id, SrtpSession srtp) {
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
    return closed ? null : srtp;
  }

  @Override
  public SendResult send(byte[] buf, int off, int len) {
    if (closed) {
      return SendResult.CLOSED;
    }
    synchronized (this) {
      sentCount++;
      if (recordSent) {
        sent.add(Arrays.copyOfRange(buf, off, off + len));
      }
    }
    return SendResult.SENT;
  }

  @Override
  public boolean isSecured() {
    return !closed && handshakeDone;
  }

  /** Plays a transport whose DTLS handshake is still running (false) or done (true, the default). */
  void setSecured(boolean secured) {
    handshakeDone = secured;
  }

  @Override
  public void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Delivers a datagram as the network would. */
  void deliver(byte[] buf, int off, int len, boolean rtcp) {
    receiver.onMedia(buf, off, len, rtcp, System.nanoTime());
  }

  /** Stops keeping copies of what is sent (for the allocation test); only counts. */
  void countOnly() {
    recordSent = false;
  }

  synchronized long sentCount() {
    return sentCount;
  }

  /** Takes what was sent since the last call. */
  synchronized List<byte[]> drainSent() {
    List<byte[]> out = new ArrayList<>(sent);
    sent.clear();
    return out;
  }
}
