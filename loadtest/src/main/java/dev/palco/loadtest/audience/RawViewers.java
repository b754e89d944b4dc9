package dev.palco.loadtest.audience;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Thousands of audience WebSocket clients on one selector thread, with just enough of RFC 6455
 * to join and watch: the opening handshake (§4.1), masked client frames (§5.3) and unmasked
 * server frames (§5.2). A heavyweight client per connection would spend more CPU than the server
 * it measures; this one costs a read and a byte search per frame.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-------+-+-------------+-------------------------------+
 *   |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *   |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *   |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *   +-+-+-+-+-------+-+-------------+-------------------------------+
 * </pre>
 */
final class RawViewers implements AutoCloseable {

  /** What a viewer's frames tell the benchmark. */
  interface Observer {
    /** A complete text frame arrived for viewer {@code index} at {@code nanos}. */
    void text(int index, byte[] buf, int off, int len, long nanos);

    /** The server closed viewer {@code index}'s connection with {@code code} (-1: the socket broke). */
    void closed(int index, int code);
  }

  private static final byte[] HANDSHAKE_END = {'\r', '\n', '\r', '\n'};

  private final Selector selector;
  private final InetSocketAddress server;
  private final String path;
  private final Observer observer;
  private final ConcurrentLinkedQueue<Conn> toRegister = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  final Conn[] conns;

  /** One connection's state; touched by the selector thread, except {@link #send}. */
  final class Conn {
    final int index;
    final SocketChannel channel;
    final String firstMessage;
    ByteBuffer in = ByteBuffer.allocate(4096);
    boolean upgraded;
    boolean closed;

    Conn(int index, SocketChannel channel, String firstMessage) {
      this.index = index;
      this.channel = channel;
      this.firstMessage = firstMessage;
    }

    /** Sends a masked text frame; called from any thread (tiny frames go out in one write). */
    synchronized boolean send(String text) {
      if (closed) {
        return false;
      }
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      int header = payload.length < 126 ? 2 : 4;
      ByteBuffer frame = ByteBuffer.allocate(header + 4 + payload.length);
      frame.put((byte) 0x81);
      if (payload.length < 126) {
        frame.put((byte) (0x80 | payload.length));
      } else {
        frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
      }
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      frame.put(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.put((byte) (payload[i] ^ mask[i & 3]));
      }
      frame.flip();
      try {
        while (frame.hasRemaining()) {
          if (channel.write(frame) == 0) {
            Thread.onSpinWait();
          }
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }
  }

  RawViewers(InetSocketAddress server, String path, int count, Observer observer) throws IOException {
    this.selector = Selector.open();
    this.server = server;
    this.path = path;
    this.observer = observer;
    this.conns = new Conn[count];
    this.thread = new Thread(this::loop, "load-viewers");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Opens connection {@code index}; {@code firstMessage} goes out once the upgrade is done. */
  void open(int index, String firstMessage) throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.configureBlocking(false);
    ch.connect(server);
    Conn c = new Conn(index, ch, firstMessage);
    conns[index] = c;
    toRegister.add(c);
    selector.wakeup();
  }

  private void loop() {
    while (running) {
      try {
        selector.select(100);
        Conn c;
        while ((c = toRegister.poll()) != null) {
          c.channel.register(selector, SelectionKey.OP_CONNECT, c);
        }
        long now = System.nanoTime();
        for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
          SelectionKey key = it.next();
          it.remove();
          Conn conn = (Conn) key.attachment();
          try {
            if (key.isConnectable()) {
              conn.channel.finishConnect();
              String request = "GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n";
              ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
              while (out.hasRemaining()) {
                conn.channel.write(out);
              }
              key.interestOps(SelectionKey.OP_READ);
            } else if (key.isReadable()) {
              read(conn, now);
            }
          } catch (IOException e) {
            fail(conn, key, -1);
          }
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void read(Conn conn, long now) throws IOException {
    int n = conn.channel.read(conn.in);
    if (n < 0) {
      fail(conn, conn.channel.keyFor(selector), conn.upgraded ? -1 : -2);
      return;
    }
    ByteBuffer b = conn.in;
    b.flip();
    if (!conn.upgraded) {
      int end = indexOf(b.array(), 0, b.limit(), HANDSHAKE_END);
      if (end < 0) {
        b.compact();
        return;
      }
      String head = new String(b.array(), 0, end, StandardCharsets.US_ASCII);
      if (!head.startsWith("HTTP/1.1 101")) {
        fail(conn, conn.channel.keyFor(selector), -3);
        return;
      }
      conn.upgraded = true;
      b.position(end + HANDSHAKE_END.length);
      conn.send(conn.firstMessage);
    }
    while (b.remaining() >= 2) {
      int start = b.position();
      int b0 = b.get(start) & 0xff;
      int b1 = b.get(start + 1) & 0xff;
      int opcode = b0 & 0x0f;
      long len = b1 & 0x7f;
      int header = 2;
      if (len == 126) {
        if (b.remaining() < 4) {
          break;
        }
        len = b.getShort(start + 2) & 0xffff;
        header = 4;
      } else if (len == 127) {
        if (b.remaining() < 10) {
          break;
        }
        len = b.getLong(start + 2);
        header = 10;
      }
      if (header + len > b.capacity()) {
        // A frame larger than the buffer: grow it (state snapshots of a full room are large).
        ByteBuffer bigger = ByteBuffer.allocate((int) (header + len) + 1024);
        bigger.put(b);
        conn.in = bigger;
        return;
      }
      if (b.remaining() < header + len) {
        break;
      }
      int payload = start + header;
      if (opcode == 0x1) {
        observer.text(conn.index, b.array(), payload, (int) len, now);
      } else if (opcode == 0x8) {
        int code = len >= 2 ? b.getShort(payload) & 0xffff : 1005;
        fail(conn, conn.channel.keyFor(selector), code);
        return;
      }
      b.position(payload + (int) len);
    }
    b.compact();
  }

  private void fail(Conn conn, SelectionKey key, int code) {
    if (conn.closed) {
      return;
    }
    synchronized (conn) {
      conn.closed = true;
    }
    if (key != null) {
      key.cancel();
    }
    try {
      conn.channel.close();
    } catch (IOException e) {
      // Gone either way.
    }
    observer.closed(conn.index, code);
  }

  /** The first index of {@code needle} in {@code buf[off, off+len)}, or -1. */
  static int indexOf(byte[] buf, int off, int len, byte[] needle) {
    int last = off + len - needle.length;
    outer:
    for (int i = off; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Conn c : conns) {
      if (c != null) {
        c.channel.close();
      }
    }
    selector.close();
  }
}
