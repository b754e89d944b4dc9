package dev.palco.loadtest.generator.net;

import dev.palco.rtp.stun.StunDropReason;
import dev.palco.rtp.stun.StunMessage;
import dev.palco.rtp.stun.StunMessageWriter;
import dev.palco.rtp.demux.PacketClassifier;
import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsEndpoint;
import dev.palco.rtp.dtls.DtlsException;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.dtls.DtlsRole;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSender;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SrtpInbound;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.DemuxDropReason;
import dev.palco.sfu.transport.DtlsChannel;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceTransportState;
import dev.palco.sfu.transport.PacketReceiver;
import dev.palco.sfu.transport.PacketTransport;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.transport.TransportCounters;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A simulated browser for the load generator that costs a socket, not threads: ICE, DTLS-SRTP and
 * SRTP/SRTCP toward the server's one UDP candidate, with every client's receive path on a selector
 * thread shared through a {@link ClientNetwork} and its timers on that network's timer thread.
 *
 * <p><b>Socket.</b> Each client has its own UDP socket on {@code bindAddress} (the server tells
 * sessions apart by 5-tuple, RFC 8445 §7.3), connected to the server's candidate once known, so
 * that the selector reads without allocating a source address.
 *
 * <p><b>ICE</b> (RFC 8445, controlling agent, full implementation toward a single remote host
 * candidate, which is all Palco's answer has for UDP). One check pair: Binding requests carry
 * USERNAME {@code remoteUfrag:localUfrag}, PRIORITY (a peer-reflexive priority, §7.1.1),
 * ICE-CONTROLLING with the tie-breaker, USE-CANDIDATE (aggressive nomination: the first
 * successful check selects the pair, as Palco's ice4j controlled agent accepts), MESSAGE-INTEGRITY
 * keyed with the remote password and FINGERPRINT (RFC 5389 §15.4, §15.5). The same transaction is
 * retransmitted (RFC 5389 §7.2.1, RTO starting at {@value #CHECK_INITIAL_RTO_MS} ms, doubling)
 * until an authenticated success response comes. The server's own Binding requests — triggered
 * checks (RFC 8445 §7.3.1.4) and consent freshness (RFC 7675 §5.1) — are answered with a success
 * response carrying XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY keyed with the local password and
 * FINGERPRINT, after their USERNAME and MESSAGE-INTEGRITY check out. Once connected the client
 * checks consent itself every {@value #CONSENT_INTERVAL_MS} ms (±20%), as a browser does.
 *
 * <p><b>DTLS</b> runs in the client role ({@code a=setup:active}) through {@link DtlsEndpoint} and
 * {@link DtlsChannel}: the selector thread queues DTLS records, the thread that calls {@link
 * #connect} runs the blocking handshake (which verifies the server's fingerprint) and gets the
 * exported SRTP keys as an {@link SrtpSession}. Later records are serviced on the timer thread.
 *
 * <p><b>Demux</b> (RFC 7983) with {@link PacketClassifier}: STUN to ICE, DTLS to the handshake
 * queue, SRTP/SRTCP decrypted in place and handed to the {@link WebRtcClient.MediaReceiver} on the
 * selector thread, through the same {@link SrtpInbound} as {@link WebRtcClient}: media that arrives
 * between the server's end of the handshake and ours (up to {@value
 * SrtpInbound#EARLY_MEDIA_PACKETS} datagrams) is held and delivered in order once the keys arrive.
 */
public final class LeanWebRtcClient implements MediaClient {
  /** First STUN retransmission timeout on the check; loopback answers in well under a millisecond. */
  static final int CHECK_INITIAL_RTO_MS = 50;
  /** Largest retransmission timeout (RFC 5389 §7.2.1 leaves the cap to the application). */
  static final int CHECK_MAX_RTO_MS = 1_600;
  /** Mean interval between the client's own consent checks (RFC 7675 §5.1: 5 s, randomised). */
  static final int CONSENT_INTERVAL_MS = 5_000;
  /** Room for any Binding request or response this client writes. */
  private static final int STUN_BUFFER_BYTES = 512;
  private static final int SEND_BUFFER_BYTES = 2048;
  /** RFC 8445 §5.1.2.1: type preference 110 for peer-reflexive, local preference 65535, component 1. */
  private static final long PRFLX_PRIORITY = (110L << 24) | (65535L << 8) | (256 - 1);
  /** Host candidate priority: type preference 126. */
  private static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | (256 - 1);
  private static final char[] ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final TransportCounters UNUSED_TRANSPORT_COUNTERS = new TransportCounters();

  /** Why a STUN message from the server was not acted on. */
  public enum StunDrop {
    /** {@link StunMessage#parse} refused it. */
    MALFORMED,
    /** A request whose USERNAME is not {@code localUfrag:remoteUfrag}. */
    WRONG_USERNAME,
    /** MESSAGE-INTEGRITY missing or not matching the password. */
    BAD_INTEGRITY,
    /** A success response to no request in flight (e.g. to a retransmission already answered). */
    UNKNOWN_TRANSACTION,
    /** An error response. */
    ERROR_RESPONSE,
    /** Any other method or class (indications). */
    UNEXPECTED_TYPE
  }

  /** Datagram and consent counters of one client. */
  public static final class Counters {
    final LongAdder datagramsReceived = new LongAdder();
    final LongAdder datagramsSent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder consentRequestsSent = new LongAdder();
    final LongAdder requestsAnswered = new LongAdder();
    final LongAdder consentResponsesAccepted = new LongAdder();
    final LongAdder consentResponsesRejected = new LongAdder();

    /** @return datagrams read from the socket */
    public long datagramsReceived() {
      return datagramsReceived.sum();
    }

    /** @return datagrams written to the socket */
    public long datagramsSent() {
      return datagramsSent.sum();
    }

    /** @return datagrams the socket did not take */
    public long sendFailures() {
      return sendFailures.sum();
    }

    /** @return the server's Binding requests (triggered checks, consent checks) answered */
    public long requestsAnswered() {
      return requestsAnswered.sum();
    }

    /** @return consent checks sent after the pair was nominated */
    public long consentRequestsSent() {
      return consentRequestsSent.sum();
    }

    /** @return authenticated success responses to consent checks */
    public long consentResponsesAccepted() {
      return consentResponsesAccepted.sum();
    }

    /** @return success responses that were not ours or did not authenticate */
    public long consentResponsesRejected() {
      return consentResponsesRejected.sum();
    }
  }

  private final String name;
  private final ClientNetwork network;
  private final DtlsCertificate certificate;
  private final DtlsSettings dtlsSettings;
  private final DatagramChannel channel;
  private final IceCredentials localCredentials;
  private final List<CandidateDescription> localCandidates;
  private final long tieBreaker = RANDOM.nextLong();
  private final DemuxCounters demuxCounters = new DemuxCounters();
  /** Decrypts and delivers on the selector thread; holds media until the keys arrive. */
  private final SrtpInbound inbound = new SrtpInbound(demuxCounters);
  private final Counters counters = new Counters();
  private final LongAdder[] stunDropped = newAdders(StunDrop.values().length);
  private final LongAdder protectFailures = new LongAdder();
  private final CountDownLatch iceConnected = new CountDownLatch(1);
  private final AtomicBoolean connectCalled = new AtomicBoolean();
  private final AtomicBoolean closeCalled = new AtomicBoolean();
  private final IcePath icePath = new IcePath();
  /**
   * A receiver registered on the ICE path ({@link PacketTransport#setReceiver}), which takes over
   * every non-STUN datagram from the client's own demultiplexing; null (the generator's case) keeps it.
   */
  private volatile PacketReceiver pathReceiver;

  // Selector-thread state.
  private final StunMessage stunIn = new StunMessage();
  private final StunMessageWriter stunOutSelector = new StunMessageWriter();
  private final byte[] responseBuffer = new byte[STUN_BUFFER_BYTES];
  private final byte[] macScratch = new byte[StunMessage.HMAC_SHA1_SIZE_BYTES];
  private Mac localMacSelector;
  private Mac remoteMacSelector;
  private byte[] expectedUsername;

  // Timer-thread state.
  private final StunMessageWriter stunOutTimer = new StunMessageWriter();
  private final byte[] requestBuffer = new byte[STUN_BUFFER_BYTES];
  private Mac remoteMacTimer;
  private byte[] requestUsername;
  private int checkRtoMs = CHECK_INITIAL_RTO_MS;
  private long checkDeadlineNanos;
  private final Runnable checkTask = this::onCheckTimer;
  private final Runnable consentTask = this::onConsentTimer;
  private volatile ScheduledFuture<?> timer;

  /** The transaction id of the request in flight; written on the timer thread under its lock. */
  private final byte[] transactionId = new byte[StunMessage.TRANSACTION_ID_SIZE_BYTES];
  private volatile boolean nominated;
  private volatile long lastConsentNanos;

  // Send path (any thread).
  private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(SEND_BUFFER_BYTES);
  private int remoteIpv4;
  private int remotePort;

  private volatile DtlsChannel dtls;
  private volatile SrtpSession srtp;
  private volatile boolean closed;

  private LeanWebRtcClient(String name, ClientNetwork network, InetAddress bindAddress, DtlsCertificate certificate,
      DtlsSettings dtlsSettings) throws IOException {
    if (!(bindAddress instanceof Inet4Address)) {
      throw new IllegalArgumentException("the lean client binds IPv4 only: " + bindAddress);
    }
    this.name = name;
    this.network = network;
    this.certificate = certificate;
    this.dtlsSettings = dtlsSettings;
    this.channel = network.open(bindAddress);
    this.localCredentials = new IceCredentials(randomIceString(8), randomIceString(24));
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    this.localCandidates = List.of(new CandidateDescription("1", 1, CandidateDescription.Protocol.UDP, HOST_PRIORITY,
        local.getAddress().getHostAddress(), local.getPort(), CandidateDescription.Type.HOST, null, -1,
        CandidateDescription.TcpType.NONE));
  }

  /**
   * Creates a client with its socket bound on {@code bindAddress}.
   *
   * @param name for {@link #toString()}
   * @param network the shared selector and timer threads
   * @param bindAddress an IPv4 address (127.0.0.1 in tests and benchmarks)
   * @param certificate the DTLS certificate (may be shared by all clients of a run)
   * @param dtlsSettings handshake timers and SRTP profiles
   */
  public static LeanWebRtcClient create(String name, ClientNetwork network, InetAddress bindAddress,
      DtlsCertificate certificate, DtlsSettings dtlsSettings) throws IOException {
    return new LeanWebRtcClient(name, network, bindAddress, certificate, dtlsSettings);
  }

  @Override
  public IceCredentials localCredentials() {
    return localCredentials;
  }

  @Override
  public List<CandidateDescription> localCandidates() {
    return localCandidates;
  }

  @Override
  public DtlsFingerprint localFingerprint() {
    return certificate.fingerprint();
  }

  @Override
  public SrtpSession connect(String remoteUfrag, String remotePwd, DtlsFingerprint remoteFingerprint,
      List<CandidateDescription> remoteCandidates, Duration timeout) throws ClientConnectException {
    if (!connectCalled.compareAndSet(false, true)) {
      throw new IllegalStateException("connect already called");
    }
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    CandidateDescription remote = null;
    for (CandidateDescription c : remoteCandidates) {
      if (c.protocol() == CandidateDescription.Protocol.UDP && c.address().indexOf(':') < 0) {
        remote = c;
        break;
      }
    }
    if (remote == null) {
      throw new ClientConnectException(ClientConnectException.Stage.ICE, "no IPv4 UDP candidate in the answer", null);
    }
    try {
      InetSocketAddress remoteAddress = new InetSocketAddress(InetAddress.getByName(remote.address()), remote.port());
      byte[] ip = remoteAddress.getAddress().getAddress();
      remoteIpv4 = ((ip[0] & 0xFF) << 24) | ((ip[1] & 0xFF) << 16) | ((ip[2] & 0xFF) << 8) | (ip[3] & 0xFF);
      remotePort = remote.port();
      localMacSelector = hmacSha1(localCredentials.pwd());
      remoteMacSelector = hmacSha1(remotePwd);
      remoteMacTimer = hmacSha1(remotePwd);
      // RFC 8445 §7.2.2: a request's USERNAME is "remote:local"; the server's is "local:remote".
      requestUsername = (remoteUfrag + ":" + localCredentials.ufrag()).getBytes(StandardCharsets.UTF_8);
      expectedUsername = (localCredentials.ufrag() + ":" + remoteUfrag).getBytes(StandardCharsets.UTF_8);
      channel.connect(remoteAddress);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new ClientConnectException(ClientConnectException.Stage.ICE, "cannot reach " + remote + ": " + e, e);
    }
    // Set up before checks start: the server may answer the ClientHello at once.
    long remainingMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    DtlsSettings settings = remainingMs < dtlsSettings.handshakeTimeoutMs()
        ? dtlsSettings.withHandshakeTimeoutMs((int) remainingMs) : dtlsSettings;
    DtlsChannel channelDtls = new DtlsChannel(icePath, new DtlsEndpoint(DtlsRole.CLIENT, certificate,
        remoteFingerprint, settings), network.timers(), this::onPeerClosed);
    dtls = channelDtls;
    inbound.beginHandshake();
    network.register(channel, this::onDatagram);
    checkDeadlineNanos = deadlineNanos;
    synchronized (transactionId) {
      RANDOM.nextBytes(transactionId);
    }
    timer = network.timers().schedule(checkTask, 0, TimeUnit.MILLISECONDS);
    try {
      if (!iceConnected.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS) || closed) {
        throw new ClientConnectException(ClientConnectException.Stage.ICE,
            closed ? "closed during connect" : "not connected within " + timeout.toMillis() + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientConnectException(ClientConnectException.Stage.ICE, "interrupted", e);
    }
    SrtpSession session;
    try {
      session = channelDtls.handshake();
    } catch (DtlsException e) {
      throw new ClientConnectException(ClientConnectException.Stage.DTLS, e.getMessage(), e);
    }
    synchronized (this) {
      if (closed) {
        session.close();
        throw new ClientConnectException(ClientConnectException.Stage.DTLS, "closed during connect", null);
      }
      srtp = session;
    }
    inbound.release(session);
    return session;
  }

  /** Timer thread: (re)sends the nominating check until its success response or the deadline. */
  private void onCheckTimer() {
    if (closed || nominated) {
      return;
    }
    if (System.nanoTime() - checkDeadlineNanos > 0) {
      return; // connect() reports the timeout
    }
    sendRequest(true);
    timer = network.timers().schedule(checkTask, checkRtoMs, TimeUnit.MILLISECONDS);
    checkRtoMs = Math.min(CHECK_MAX_RTO_MS, checkRtoMs * 2);
  }

  /** Timer thread: one consent check (RFC 7675 §5.1), a new transaction each time. */
  private void onConsentTimer() {
    if (closed) {
      return;
    }
    synchronized (transactionId) {
      RANDOM.nextBytes(transactionId);
    }
    sendRequest(false);
    counters.consentRequestsSent.increment();
    int jitterMs = ThreadLocalRandom.current().nextInt(-CONSENT_INTERVAL_MS / 5, CONSENT_INTERVAL_MS / 5 + 1);
    timer = network.timers().schedule(consentTask, CONSENT_INTERVAL_MS + jitterMs, TimeUnit.MILLISECONDS);
  }

  /** Timer thread: a Binding request on the pair, with the current transaction id. */
  private void sendRequest(boolean useCandidate) {
    byte[] out = requestBuffer;
    StunMessageWriter w = stunOutTimer;
    int len;
    synchronized (transactionId) {
      len = w.start(out, 0, StunMessage.BINDING_REQUEST, transactionId, 0);
    }
    len = w.putAttribute(out, 0, len, StunMessage.ATTR_USERNAME, requestUsername, 0, requestUsername.length);
    len = w.putInt(out, 0, len, StunMessage.ATTR_PRIORITY, (int) PRFLX_PRIORITY);
    len = w.putLong(out, 0, len, StunMessage.ATTR_ICE_CONTROLLING, tieBreaker);
    if (useCandidate) {
      len = w.putFlag(out, 0, len, StunMessage.ATTR_USE_CANDIDATE);
    }
    len = w.appendIntegrity(out, 0, len, remoteMacTimer);
    len = w.appendFingerprint(out, 0, len);
    sendDatagram(out, 0, len);
  }

  /** Selector thread: RFC 7983 demux. Never throws. */
  private void onDatagram(byte[] buf, int off, int len, long arrivalNanos) {
    counters.datagramsReceived.increment();
    PacketKind kind = PacketClassifier.classify(buf, off, len);
    PacketReceiver taken = pathReceiver;
    if (taken != null && kind != PacketKind.STUN) {
      taken.onPacket(buf, off, len);
      return;
    }
    switch (kind) {
      case RTP:
        inbound.deliver(buf, off, len, false, arrivalNanos);
        break;
      case RTCP:
        inbound.deliver(buf, off, len, true, arrivalNanos);
        break;
      case DTLS:
        DtlsChannel.deliver(dtls, buf, off, len, demuxCounters);
        break;
      case STUN:
        onStun(buf, off, len);
        break;
      case TOO_SHORT:
        demuxCounters.drop(DemuxDropReason.TOO_SHORT);
        break;
      default:
        demuxCounters.drop(DemuxDropReason.UNKNOWN_PROTOCOL);
        break;
    }
  }

  /** Selector thread: answers the server's checks; takes its responses to ours. */
  private void onStun(byte[] buf, int off, int len) {
    StunMessage m = stunIn;
    if (m.parse(buf, off, len) != StunDropReason.NONE) {
      stunDropped[StunDrop.MALFORMED.ordinal()].increment();
      return;
    }
    switch (m.type()) {
      case StunMessage.BINDING_REQUEST:
        // RFC 5389 §10.1.2 would answer 400/401; the server only ever sends valid checks here.
        if (!m.usernameEquals(expectedUsername)) {
          stunDropped[StunDrop.WRONG_USERNAME.ordinal()].increment();
          return;
        }
        if (!m.integrityMatches(localMacSelector, macScratch)) {
          stunDropped[StunDrop.BAD_INTEGRITY.ordinal()].increment();
          return;
        }
        answer(m);
        break;
      case StunMessage.BINDING_SUCCESS_RESPONSE:
        boolean ours;
        synchronized (transactionId) {
          ours = m.transactionIdEquals(transactionId, 0);
        }
        if (!ours) {
          stunDropped[StunDrop.UNKNOWN_TRANSACTION.ordinal()].increment();
          return;
        }
        if (!m.integrityMatches(remoteMacSelector, macScratch)) {
          stunDropped[StunDrop.BAD_INTEGRITY.ordinal()].increment();
          counters.consentResponsesRejected.increment();
          return;
        }
        lastConsentNanos = System.nanoTime();
        if (!nominated) {
          nominated = true;
          ScheduledFuture<?> t = timer;
          if (t != null) {
            t.cancel(false);
          }
          int jitterMs = ThreadLocalRandom.current().nextInt(-CONSENT_INTERVAL_MS / 5, CONSENT_INTERVAL_MS / 5 + 1);
          timer = network.timers().schedule(consentTask, CONSENT_INTERVAL_MS + jitterMs, TimeUnit.MILLISECONDS);
          iceConnected.countDown();
        } else {
          counters.consentResponsesAccepted.increment();
        }
        break;
      case StunMessage.BINDING_INDICATION:
        // A keepalive (RFC 8445 §11): it only refreshes NAT bindings; nothing to do.
        break;
      case StunMessage.BINDING_ERROR_RESPONSE:
        // e.g. 487 role conflict, which a controlled server does not send: the request is
        // retransmitted until a success arrives or connect times out.
        stunDropped[StunDrop.ERROR_RESPONSE.ordinal()].increment();
        break;
      default:
        stunDropped[StunDrop.UNEXPECTED_TYPE.ordinal()].increment();
        break;
    }
  }

  /** Selector thread: a success response to the server's request (RFC 8445 §7.3.1.2, RFC 7675). */
  private void answer(StunMessage request) {
    byte[] out = responseBuffer;
    StunMessageWriter w = stunOutSelector;
    int len = w.start(out, 0, StunMessage.BINDING_SUCCESS_RESPONSE, request.buffer(),
        request.offset() + StunMessage.TRANSACTION_ID_OFFSET);
    // The channel is connected: the request came from the server's candidate.
    len = w.putXorMappedAddressV4(out, 0, len, remoteIpv4, remotePort);
    len = w.appendIntegrity(out, 0, len, localMacSelector);
    len = w.appendFingerprint(out, 0, len);
    if (sendDatagram(out, 0, len) == SendResult.SENT) {
      counters.requestsAnswered.increment();
    }
  }


  @Override
  public ClientSendResult sendRtp(byte[] buf, int off, int len) {
    return protectAndSend(buf, off, len, false);
  }

  @Override
  public ClientSendResult sendRtcp(byte[] buf, int off, int len) {
    return protectAndSend(buf, off, len, true);
  }

  private ClientSendResult protectAndSend(byte[] buf, int off, int len, boolean rtcp) {
    DtlsChannel c = dtls;
    if (closed || (c != null && c.isClosedByPeer())) {
      return ClientSendResult.CLOSED;
    }
    SrtpSession session = srtp;
    if (!inbound.isSecured() || session == null) {
      return ClientSendResult.NOT_SECURED;
    }
    SrtpSender sender = session.sender();
    SrtpStatus status;
    int protectedLen;
    synchronized (sender) {
      status = rtcp ? sender.protectRtcp(buf, off, len) : sender.protectRtp(buf, off, len);
      protectedLen = sender.lengthBytes();
    }
    if (status != SrtpStatus.OK) {
      protectFailures.increment();
      return ClientSendResult.PROTECT_FAILED;
    }
    SendResult sent = sendDatagram(buf, off, protectedLen);
    if (sent == SendResult.SENT) {
      return ClientSendResult.SENT;
    }
    return sent == SendResult.CLOSED ? ClientSendResult.CLOSED : ClientSendResult.NOT_SENT;
  }

  /** Any thread: one datagram to the server, through the client's direct buffer. */
  private SendResult sendDatagram(byte[] buf, int off, int len) {
    if (closed) {
      return SendResult.CLOSED;
    }
    if (len > SEND_BUFFER_BYTES) {
      counters.sendFailures.increment();
      return SendResult.IO_ERROR;
    }
    synchronized (sendBuffer) {
      sendBuffer.clear();
      sendBuffer.put(buf, off, len);
      sendBuffer.flip();
      try {
        if (channel.write(sendBuffer) == len) {
          counters.datagramsSent.increment();
          return SendResult.SENT;
        }
      } catch (IOException e) {
        counters.sendFailures.increment();
        return closed ? SendResult.CLOSED : SendResult.IO_ERROR;
      }
    }
    counters.sendFailures.increment();
    return SendResult.NOT_CONNECTED;
  }

  @Override
  public void setMediaReceiver(WebRtcClient.MediaReceiver receiver) {
    inbound.setReceiver(receiver);
  }

  @Override
  public boolean isSecured() {
    return inbound.isSecured();
  }

  @Override
  public DemuxCounters demuxCounters() {
    return demuxCounters;
  }

  /** @return datagrams sent and received, consent checks */
  public Counters counters() {
    return counters;
  }

  /** @return STUN messages from the server dropped for {@code reason} */
  public long stunDropped(StunDrop reason) {
    return stunDropped[reason.ordinal()].sum();
  }

  /** @return SRTP/SRTCP packets that failed to decrypt or authenticate */
  public long unprotectFailures() {
    return inbound.unprotectFailures();
  }

  /** @return nanoTime of the last authenticated Binding success response, or 0 */
  public long lastConsentNanos() {
    return lastConsentNanos;
  }

  @Override
  public void close() {
    if (!closeCalled.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    inbound.close();
    DtlsChannel c = dtls;
    if (c != null) {
      c.close(); // close_notify while the socket is still open
    }
    synchronized (this) {
      closed = true;
    }
    iceConnected.countDown();
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to release beyond the socket.
    }
    SrtpSession session = srtp;
    if (session != null) {
      session.close();
    }
  }

  @Override
  public String toString() {
    return "LeanWebRtcClient[" + name + (inbound.isSecured() ? ", secured" : "") + (closed ? ", closed" : "") + "]";
  }

  private void onPeerClosed() {
    inbound.unsecure();
  }

  private static LongAdder[] newAdders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  private static Mac hmacSha1(String password) throws GeneralSecurityException {
    // RFC 5389 §15.4: for short-term credentials the key is the SASLprep'd password; ICE
    // passwords are ice-chars (RFC 8445 §5.3), which SASLprep leaves unchanged.
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return mac;
  }

  private static String randomIceString(int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
    }
    return new String(c);
  }

  /** DTLS's view of the selected pair. */
  private final class IcePath implements PacketTransport {
    @Override
    public SendResult send(byte[] buf, int off, int len) {
      return sendDatagram(buf, off, len);
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
      pathReceiver = receiver;
    }

    @Override
    public IceTransportState state() {
      return closed ? IceTransportState.CLOSED : nominated ? IceTransportState.CONNECTED : IceTransportState.CHECKING;
    }

    /** DTLS does not read these; the client keeps its own {@link Counters}. */
    @Override
    public TransportCounters counters() {
      return UNUSED_TRANSPORT_COUNTERS;
    }

    @Override
    public void close() {
      LeanWebRtcClient.this.close();
    }
  }
}
