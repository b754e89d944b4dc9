package dev.palco.loadtest.generator;

import dev.palco.sfu.client.ClientSdp;
import dev.palco.loadtest.generator.net.MediaClient;

/**
 * A server under load, as the generator signals to it: Palco through WHIP and WHEP, or Janus's
 * VideoRoom through its HTTP API. Media itself always flows over the {@link MediaClient}s.
 */
public interface MediaTarget extends AutoCloseable {
  /** URI of the transport-wide sequence number header extension. */
  String TWCC_URI = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

  /**
   * What signaling gave a client to connect with, and how to end its session.
   *
   * @param remote the server's ICE credentials, fingerprint and candidates
   * @param negotiated the payload types and extension id the client receives with (publishers: unused)
   * @param session ends the session on the server (DELETE, leave); idempotent
   */
  record Session(ClientSdp.Answer remote, StreamSubscriber.Negotiated negotiated, AutoCloseable session) {}

  /** A short name for tables: "palco" or "janus". */
  String name();

  /** Prepares a room (or the like) for a broadcast; called once before anything else. */
  void prepare() throws Exception;

  /** Signals a publisher's session for this publisher's video and audio. */
  Session publish(MediaClient client, StreamPublisher publisher) throws Exception;

  /** Signals a subscriber's session that receives the (first) publisher's video and audio. */
  Session subscribe(MediaClient client) throws Exception;

  /** The process id of the server, for its CPU and memory, or -1 if unknown. */
  long serverPid();

  @Override
  void close();

  /**
   * Waits until {@code uri} answers 200: a JVM or Janus starting on a loaded machine may take a
   * while before it listens.
   *
   * @throws java.io.IOException when it does not within {@code timeout}
   */
  static void awaitReady(java.net.http.HttpClient http, java.net.URI uri, java.time.Duration timeout, String what)
      throws java.io.IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new java.io.IOException(what + " at " + uri + " does not answer");
      }
      Thread.sleep(100);
    }
  }
}
