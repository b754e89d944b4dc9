package dev.palco.sfu.transport;

import dev.palco.rtp.srtp.SrtpSession;

/**
 * What the media plane needs from a participant's transport once it is secured: protected
 * RTP/RTCP datagrams in, protected datagrams out, and the SRTP session whose keys DTLS exported.
 *
 * <p>Decryption and encryption are not done here but in the packet pipelines, on the media
 * workers, so that the one thread reading the shared UDP port only copies and hands off.
 */
public interface MediaTransport extends AutoCloseable {

  /** Receives protected RTP and RTCP datagrams from the peer. */
  @FunctionalInterface
  interface MediaReceiver {
    /**
     * Called on a transport thread (the shared UDP reader, or an ICE-TCP reader). Must not block
     * and must not keep {@code buf}: copy what is needed before returning.
     *
     * @param rtcp true for RTCP, false for RTP (RFC 5761 §4)
     * @param arrivalNanos when the datagram arrived, in {@link System#nanoTime()} units
     */
    void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos);
  }

  /** A name for logs and statistics. */
  String id();

  /** Sets the receiver of media datagrams, replacing any previous one. */
  void setMediaReceiver(MediaReceiver receiver);

  /** The SRTP session, or {@code null} until the DTLS handshake has completed. */
  SrtpSession srtp();

  /**
   * Sends one protected datagram to the peer. Never blocks on the network, never throws. Safe to
   * call from several threads.
   */
  SendResult send(byte[] buf, int off, int len);

  /** Whether media can flow: ICE connected and DTLS done. */
  boolean isSecured();

  /** Releases sockets, threads and keys. Idempotent. */
  @Override
  void close();
}
