package dev.palco.loadtest.generator.net;

import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.IceCredentials;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * A {@link MediaClient} over Palco's full {@link WebRtcClient}: an ice4j agent, its timers and a
 * reader thread per client. The generator's {@code --clients=ice4j}, kept to compare against.
 */
public final class Ice4jMediaClient implements MediaClient {
  private final WebRtcClient client;

  /** Wraps {@code client}. */
  public Ice4jMediaClient(WebRtcClient client) {
    this.client = client;
  }

  /** Creates a {@link WebRtcClient} with {@code options}. */
  public static Ice4jMediaClient create(String name, WebRtcClientOptions options) throws IOException {
    return new Ice4jMediaClient(WebRtcClient.create(name, options));
  }

  /** @return the wrapped client */
  public WebRtcClient client() {
    return client;
  }

  @Override
  public IceCredentials localCredentials() {
    return client.localCredentials();
  }

  @Override
  public List<CandidateDescription> localCandidates() {
    return client.localCandidates();
  }

  @Override
  public DtlsFingerprint localFingerprint() {
    return client.localFingerprint();
  }

  @Override
  public SrtpSession connect(String remoteUfrag, String remotePwd, DtlsFingerprint remoteFingerprint,
      List<CandidateDescription> remoteCandidates, Duration timeout) throws ClientConnectException {
    return client.connect(remoteUfrag, remotePwd, remoteFingerprint, remoteCandidates, timeout);
  }

  @Override
  public ClientSendResult sendRtp(byte[] buf, int off, int len) {
    return client.sendRtp(buf, off, len);
  }

  @Override
  public ClientSendResult sendRtcp(byte[] buf, int off, int len) {
    return client.sendRtcp(buf, off, len);
  }

  @Override
  public void setMediaReceiver(WebRtcClient.MediaReceiver receiver) {
    client.setMediaReceiver(receiver);
  }

  @Override
  public boolean isSecured() {
    return client.isSecured();
  }

  @Override
  public DemuxCounters demuxCounters() {
    return client.demuxCounters();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return client.toString();
  }
}
