package dev.palco.loadtest.generator.net;

import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.IceCredentials;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the generator's publishers, subscribers and targets need of one simulated WebRTC client:
 * the values to signal, a blocking connect (ICE, then DTLS as the client), SRTP sends, decrypted
 * receives and close. Implemented over Palco's {@link WebRtcClient} ({@link Ice4jMediaClient}) and
 * by the {@link LeanWebRtcClient} that shares one selector thread among all clients.
 *
 * <p>Sends protect in place: leave {@link #MAX_SRTP_OVERHEAD_BYTES} free after the packet.
 */
public interface MediaClient extends AutoCloseable {
  /** Tailroom that suffices for any SRTP profile and packet kind. */
  int MAX_SRTP_OVERHEAD_BYTES = WebRtcClient.MAX_SRTP_OVERHEAD_BYTES;

  /** Creates clients of one kind. */
  @FunctionalInterface
  interface Factory {
    /**
     * @param name for logs and thread names
     * @return a client with its local candidate, not yet connected
     * @throws IOException if its socket cannot be bound
     */
    MediaClient create(String name) throws IOException;
  }

  /** @return the ICE credentials to signal */
  IceCredentials localCredentials();

  /** @return the candidates to signal */
  List<CandidateDescription> localCandidates();

  /** @return the fingerprint to signal, with {@code a=setup:active} */
  DtlsFingerprint localFingerprint();

  /**
   * Connects ICE (controlling) and runs the DTLS handshake as the client, blocking the calling
   * thread for up to {@code timeout}. Call once.
   *
   * @return the keyed SRTP session
   * @throws ClientConnectException if ICE or DTLS failed or timed out
   */
  SrtpSession connect(String remoteUfrag, String remotePwd, DtlsFingerprint remoteFingerprint,
      List<CandidateDescription> remoteCandidates, Duration timeout) throws ClientConnectException;

  /** Protects an RTP packet in place and sends it; never throws. */
  ClientSendResult sendRtp(byte[] buf, int off, int len);

  /** Protects a (compound) RTCP packet in place and sends it; never throws. */
  ClientSendResult sendRtcp(byte[] buf, int off, int len);

  /** Replaces the receiver of decrypted RTP and RTCP (called on the client's receive thread). */
  void setMediaReceiver(WebRtcClient.MediaReceiver receiver);

  /** @return whether SRTP is keyed and the association open */
  boolean isSecured();

  /** @return received datagrams by kind, and drops by reason */
  DemuxCounters demuxCounters();

  /** Sends close_notify if secured, frees the socket and keys. Idempotent. */
  /** This client's SDP offer for these sections ({@link ClientSdp#offer}). */
  default String offer(List<ClientSdp.Section> sections) {
    return ClientSdp.offer(localCredentials(), localCandidates(), localFingerprint(), sections);
  }

  @Override
  void close();
}
