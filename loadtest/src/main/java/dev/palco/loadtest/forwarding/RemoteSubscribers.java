package dev.palco.loadtest.forwarding;

import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of a {@link SubscriberFleet}: starts it as a child JVM on the same class path
 * and speaks its line protocol. Not thread-safe: one benchmark thread drives it.
 */
final class RemoteSubscribers implements AutoCloseable {
  /** What a client offers: its ICE credentials, DTLS fingerprint and candidates. */
  record Offer(IceCredentials credentials, DtlsFingerprint fingerprint, List<CandidateDescription> candidates) {}

  /** The fleet's counters at one instant. */
  record Snapshot(long delivered, long latencyCount, long p50Nanos, long p99Nanos, long maxNanos, long cpuNanos,
      long feedbacksSent) {}

  private final Process process;
  private final PrintWriter requests;
  private final BufferedReader replies;

  /**
   * @param heap the child's -Xmx, e.g. "768m"
   */
  RemoteSubscribers(String heap) throws IOException {
    this(heap, SubscriberFleet.Clients.ICE4J, 0, 0);
  }

  /**
   * @param heap the child's -Xmx, e.g. "768m"
   * @param clients the fleet's client stack
   * @param rembBps the REMB each decrypting client sends once a second, 0 for no bandwidth feedback
   * @param transportCcId the id under which the SFU stamps the transport-wide sequence number;
   *     each decrypting client then sends transport-cc feedback every 50 ms. 0 for none.
   */
  RemoteSubscribers(String heap, SubscriberFleet.Clients clients, long rembBps, int transportCcId)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+UseSerialGC",
        "-Dice4j.harvest.mapping.aws.enabled=false", "-cp", System.getProperty("java.class.path"),
        SubscriberFleet.class.getName(), clients.name(), Long.toString(rembBps), Integer.toString(transportCcId))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    requests = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The child's process id. */
  long pid() {
    return process.pid();
  }

  private String[] call(String request, String expected) throws IOException {
    requests.println(request);
    String line = replies.readLine();
    if (line == null) {
      throw new IOException("the subscriber fleet ended (request " + request + ")");
    }
    String[] f = line.split("\t");
    if (!f[0].equals(expected)) {
      throw new IOException("the subscriber fleet answered " + line + " to " + request);
    }
    return f;
  }

  /** Creates a client in the child. */
  Offer create(String id) throws IOException {
    return create(id, false);
  }

  /**
   * Creates a client in the child; a count-only client counts SRTP packets at its socket without
   * decrypting them ({@link SubscriberFleet}).
   */
  Offer create(String id, boolean countOnly) throws IOException {
    String[] f = call("NEW\t" + id + (countOnly ? "\tcount-only" : ""), "OFFER");
    List<CandidateDescription> candidates = new ArrayList<>();
    for (int i = 5; i < f.length; i++) {
      CandidateDescription d = WebRtcNegotiation.fromSdp(IceCandidate.parse(f[i]));
      if (d != null) {
        candidates.add(d);
      }
    }
    return new Offer(new IceCredentials(f[2], f[3]), DtlsFingerprint.parse(f[4]), candidates);
  }

  /** Connects the child's client to the server's transport; returns once SRTP is keyed there. */
  void connect(String id, IceCredentials server, DtlsFingerprint fingerprint, List<CandidateDescription> candidates)
      throws IOException {
    StringBuilder b = new StringBuilder("ANSWER\t").append(id).append('\t').append(server.ufrag()).append('\t')
        .append(server.pwd()).append('\t').append(fingerprint.toSdp());
    for (CandidateDescription c : candidates) {
      b.append('\t').append(WebRtcNegotiation.toSdp(c).toValue());
    }
    call(b.toString(), "CONNECTED");
  }

  /** Clears the child's end-to-end histogram. */
  void resetLatency() throws IOException {
    call("RESET", "OK");
  }

  /** The child's counters now. */
  Snapshot snapshot() throws IOException {
    String[] f = call("SNAPSHOT", "SNAPSHOT");
    return new Snapshot(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
        Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      call("QUIT", "BYE");
    } catch (IOException e) {
      // Ends below either way.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroy();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
