package dev.palco.loadtest.generator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.crypto.Aes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ClientNetwork}: it makes jitsi-srtp choose its AES ciphers before its selector threads
 * exist, and it hands each datagram of a registered channel to that channel's handler.
 */
class ClientNetworkTest {
  /** The ciphers behind our two SRTP profiles and their key derivation (RFC 7714, RFC 3711 §4.3). */
  private static final List<String> CIPHERS = List.of("AES/GCM/NoPadding", "AES/CTR/NoPadding");

  /**
   * The regression behind the lean clients' connect stalls: jitsi-srtp chooses an AES provider by
   * a benchmark of seconds, under a process-wide lock, at the first context that needs a cipher,
   * and the clients create their receive contexts on the selector threads. With the choice
   * forgotten (as in a fresh JVM), a new network must have made it again before it returns, so
   * that no selector thread runs the benchmark or waits for it.
   */
  @Test
  @Timeout(60)
  void choosesTheSrtpCiphersBeforeItsThreadsStart() throws Exception {
    Map<?, ?> chosen = chosenCipherFactories();
    synchronized (Aes.class) {
      chosen.clear();
    }
    try (ClientNetwork network = new ClientNetwork("client-network-test", 2)) {
      synchronized (Aes.class) {
        assertTrue(chosen.keySet().containsAll(CIPHERS), "chosen before the threads started: " + chosen.keySet());
      }
    }
  }

  @Test
  @Timeout(30)
  void deliversEveryDatagramOfARegisteredChannelToItsHandler() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    int datagrams = 100;
    CountDownLatch received = new CountDownLatch(datagrams);
    int[] lastFirstByte = {-1};
    try (ClientNetwork network = new ClientNetwork("client-network-test", 2);
        DatagramChannel peer = DatagramChannel.open()) {
      peer.bind(new InetSocketAddress(loopback, 0));
      DatagramChannel channel = network.open(loopback);
      channel.connect(peer.getLocalAddress());
      network.register(channel, (buf, off, len, arrivalNanos) -> {
        // One socket is always read by the same selector thread, in arrival order.
        if ((buf[off] & 0xFF) == lastFirstByte[0] + 1) {
          lastFirstByte[0] = buf[off] & 0xFF;
          received.countDown();
        }
      });
      ByteBuffer out = ByteBuffer.allocate(4);
      for (int i = 0; i < datagrams; i++) {
        out.clear();
        out.put((byte) i).put((byte) 0).put((byte) 0).put((byte) 0).flip();
        peer.send(out, channel.getLocalAddress());
      }
      assertTrue(received.await(10, TimeUnit.SECONDS), "datagrams still missing: " + received.getCount());
      assertEquals(datagrams - 1, lastFirstByte[0]);
      channel.close();
    }
  }

  /** jitsi-srtp's cache of the provider chosen per cipher transformation ({@code Aes.fastestFactories}). */
  private static Map<?, ?> chosenCipherFactories() throws ReflectiveOperationException {
    Field f = Aes.class.getDeclaredField("fastestFactories");
    f.setAccessible(true);
    return (Map<?, ?>) f.get(null);
  }
}
