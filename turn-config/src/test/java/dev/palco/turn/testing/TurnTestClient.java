package dev.palco.turn.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A minimal TURN client for tests: asks a server for a UDP relay with a long-term credential
 * (RFC 8656 §7.1–7.3, RFC 8489 §9.2), over UDP or TCP from 127.0.0.1, and reports what the server
 * said. Each attempt uses a new socket, so each is a new 5-tuple and a new allocation.
 */
public final class TurnTestClient {

  /** How a client reaches the server. */
  public enum Transport {
    UDP,
    TCP
  }

  /**
   * What an Allocate with a credential came to.
   *
   * @param errorCode 0 for success, else the STUN error code (401 Unauthorized, 438 Stale Nonce…)
   * @param relayed the relayed transport address on success
   * @param responseSigned whether a success carried MESSAGE-INTEGRITY made with the same key, which
   *     proves the server derived the key from the same password
   */
  public record Allocation(int errorCode, InetSocketAddress relayed, boolean responseSigned) {
    /** Whether the server granted the allocation. */
    public boolean granted() {
      return errorCode == 0 && relayed != null;
    }
  }

  /** Per try on UDP; RFC 8489 §6.2.1 starts at 500 ms, but loopback answers in well under that. */
  private static final Duration UDP_TRY = Duration.ofMillis(250);

  private static final int UDP_TRIES = 8;

  private static final Duration TCP_TIMEOUT = Duration.ofSeconds(5);

  private TurnTestClient() {}

  /**
   * Allocates a UDP relay with {@code username}/{@code password} on a new connection, and deletes
   * it again (so quotas are not used up across tests). See {@link Session#allocate}.
   */
  public static Allocation allocate(Transport transport, InetSocketAddress server, String username, String password) {
    try (Session session = Session.open(transport, server)) {
      return session.allocate(username, password);
    }
  }

  /**
   * One client 5-tuple: at most one allocation, then permissions on it. Closing deletes the
   * allocation (Refresh with LIFETIME 0) and closes the socket.
   */
  public static final class Session implements AutoCloseable {
    private final Channel channel;
    private String username;
    private String realm;
    private String nonce;
    private byte[] key;
    private boolean allocated;

    private Session(Channel channel) {
      this.channel = channel;
    }

    /** Opens a socket from 127.0.0.1 to the server. */
    public static Session open(Transport transport, InetSocketAddress server) {
      try {
        return new Session(transport == Transport.UDP ? new UdpChannel(server) : new TcpChannel(server, null));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Opens a TLS connection (TURNS, RFC 8656 §3.1) from 127.0.0.1, trusting what {@code tls} trusts. */
    public static Session openTls(InetSocketAddress server, javax.net.ssl.SSLContext tls) {
      try {
        return new Session(new TcpChannel(server, tls));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Asks for a UDP relay: first without a credential, to learn REALM and NONCE from the 401
     * (RFC 8489 §9.2.4), then with it, once more if the nonce was stale (438).
     */
    public Allocation allocate(String username, String password) {
      try {
        StunMessage.Parsed challenge = channel.exchange(StunMessage.allocateUnauthenticated(StunMessage.newTransactionId()));
        if (challenge.errorCode() != 401 || challenge.realm() == null || challenge.nonce() == null) {
          throw new AssertionError("expected a 401 challenge with REALM and NONCE, got type 0x"
              + Integer.toHexString(challenge.type()) + " error " + challenge.errorCode());
        }
        this.username = username;
        this.realm = challenge.realm();
        this.nonce = challenge.nonce();
        this.key = StunMessage.longTermKey(username, realm, password);
        StunMessage.Parsed answer =
            exchangeAuthenticated(() -> StunMessage.allocate(StunMessage.newTransactionId(), username, realm, nonce, key));
        if (answer.type() != StunMessage.ALLOCATE_SUCCESS) {
          return new Allocation(answer.errorCode() == 0 ? -1 : answer.errorCode(), null, false);
        }
        allocated = true;
        return new Allocation(0, answer.relayed(), answer.integrityVerifies(key));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** CreatePermission for {@code peer} on the allocation: 0 when granted, else the error code (403 for a denied peer). */
    public int createPermission(InetAddress peer) {
      if (!allocated) {
        throw new IllegalStateException("allocate first");
      }
      try {
        StunMessage.Parsed answer =
            exchangeAuthenticated(
                () -> StunMessage.createPermission(StunMessage.newTransactionId(), peer, username, realm, nonce, key));
        return answer.type() == StunMessage.CREATE_PERMISSION_SUCCESS ? 0 : (answer.errorCode() == 0 ? -1 : answer.errorCode());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        if (allocated) {
          allocated = false;
          StunMessage.Parsed released =
              exchangeAuthenticated(() -> StunMessage.release(StunMessage.newTransactionId(), username, realm, nonce, key));
          if (released.type() != StunMessage.REFRESH_SUCCESS) {
            throw new AssertionError("the allocation was not released: error " + released.errorCode());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        try {
          channel.close();
        } catch (IOException e) {
          // Closing a test socket: nothing left to do.
        }
      }
    }

    /** Sends a signed request; on 438 Stale Nonce takes the new nonce and sends it once more. */
    private StunMessage.Parsed exchangeAuthenticated(java.util.function.Supplier<byte[]> request) throws IOException {
      StunMessage.Parsed answer = channel.exchange(request.get());
      if (answer.errorCode() == 438 && answer.nonce() != null) {
        nonce = answer.nonce();
        answer = channel.exchange(request.get());
      }
      return answer;
    }
  }

  /** Whether a Binding request over UDP is answered within {@code timeout}. */
  public static boolean bindingAnswered(InetSocketAddress server, Duration timeout) {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      byte[] txId = StunMessage.newTransactionId();
      byte[] request = StunMessage.binding(txId);
      socket.send(new DatagramPacket(request, request.length, server));
      byte[] buf = new byte[1500];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      socket.receive(in);
      StunMessage.Parsed answer = StunMessage.parse(buf, 0, in.getLength());
      return answer != null && answer.type() == StunMessage.BINDING_SUCCESS && Arrays.equals(answer.transactionId(), txId);
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // Nothing listens yet (ICMP port unreachable): not ready.
      return false;
    }
  }

  /** One request, one answer, matched by transaction id. */
  private interface Channel extends AutoCloseable {
    StunMessage.Parsed exchange(byte[] request) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class UdpChannel implements Channel {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    UdpChannel(InetSocketAddress server) throws IOException {
      this.server = server;
      this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      socket.setSoTimeout((int) UDP_TRY.toMillis());
    }

    @Override
    public StunMessage.Parsed exchange(byte[] request) throws IOException {
      byte[] txId = Arrays.copyOfRange(request, 8, 20);
      byte[] buf = new byte[1500];
      for (int attempt = 0; attempt < UDP_TRIES; attempt++) {
        socket.send(new DatagramPacket(request, request.length, server));
        long deadline = System.nanoTime() + UDP_TRY.toNanos();
        while (System.nanoTime() < deadline) {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          try {
            socket.receive(in);
          } catch (SocketTimeoutException e) {
            break;
          }
          StunMessage.Parsed answer = StunMessage.parse(buf, 0, in.getLength());
          if (answer != null && Arrays.equals(answer.transactionId(), txId)) {
            return answer;
          }
        }
      }
      throw new IOException("no answer from " + server + " over UDP after " + UDP_TRIES + " tries");
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** RFC 8489 §6.2.2: over TCP, messages follow each other; the header's length frames each. */
  private static final class TcpChannel implements Channel {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    TcpChannel(InetSocketAddress server, javax.net.ssl.SSLContext tls) throws IOException {
      Socket plain = new Socket();
      plain.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      plain.connect(server, (int) TCP_TIMEOUT.toMillis());
      plain.setSoTimeout((int) TCP_TIMEOUT.toMillis());
      if (tls == null) {
        socket = plain;
      } else {
        javax.net.ssl.SSLSocket secure =
            (javax.net.ssl.SSLSocket)
                tls.getSocketFactory().createSocket(plain, server.getHostString(), server.getPort(), true);
        secure.startHandshake();
        socket = secure;
      }
      InputStream raw = socket.getInputStream();
      in = new DataInputStream(raw);
      out = socket.getOutputStream();
    }

    @Override
    public StunMessage.Parsed exchange(byte[] request) throws IOException {
      byte[] txId = Arrays.copyOfRange(request, 8, 20);
      out.write(request);
      out.flush();
      while (true) {
        byte[] header = new byte[StunMessage.HEADER_SIZE_BYTES];
        in.readFully(header);
        int size = StunMessage.frameSize(header);
        if (size < 0) {
          throw new IOException("not a STUN message on the TCP stream");
        }
        byte[] message = Arrays.copyOf(header, size);
        in.readFully(message, StunMessage.HEADER_SIZE_BYTES, size - StunMessage.HEADER_SIZE_BYTES);
        StunMessage.Parsed answer = StunMessage.parse(message, 0, size);
        if (answer != null && Arrays.equals(answer.transactionId(), txId)) {
          return answer;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
