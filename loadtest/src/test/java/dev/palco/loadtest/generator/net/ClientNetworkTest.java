package dev.palco.loadtest.generator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.crypto.Aes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ClientNetwork}: SRTP on its clients never waits on jitsi-srtp's provider choice, and it
 * hands each datagram of a registered channel to that channel's handler.
 */
class ClientNetworkTest {
  /**
   * The regression behind the lean clients' connect stalls: jitsi-srtp chooses an AES provider by
   * a benchmark of seconds, under a process-wide lock, at the first of its contexts that needs a
   * cipher, and the clients create their SRTP state on the selector threads. Our sessions run on
   * our own transforms, so that choice must never be made on the client path: with it forgotten
   * (as in a fresh JVM), a network, sessions of both profiles and an RTP and RTCP round trip each
   * leave it unmade.
   */
  @Test
  @Timeout(60)
  void srtpOnTheClientPathNeverRunsJitsiSrtpsProviderChoice() throws Exception {
    Map<?, ?> chosen = chosenCipherFactories();
    synchronized (Aes.class) {
      chosen.clear();
    }
    try (ClientNetwork network = new ClientNetwork("client-network-test", 2)) {
      byte[] packet = new byte[200];
      for (SrtpProfile profile : SrtpProfile.values()) {
        byte[] key = new byte[profile.masterKeyLengthBytes()];
        byte[] salt = new byte[profile.masterSaltLengthBytes()];
        try (SrtpSession session = SrtpSession.create(profile, key, salt, key, salt, 1)) {
          // RFC 3550 §5.1: V=2, PT=96, SSRC 1, 100 payload bytes.
          Arrays.fill(packet, (byte) 0);
          packet[0] = (byte) 0x80;
          packet[1] = 96;
          packet[11] = 1;
          assertEquals(SrtpStatus.OK, session.sender().protectRtp(packet, 0, 112));
          assertEquals(SrtpStatus.OK,
              session.receiver().unprotectRtp(packet, 0, session.sender().lengthBytes()));
          // RFC 3550 §6.4.2: an empty receiver report from SSRC 1.
          Arrays.fill(packet, (byte) 0);
          packet[0] = (byte) 0x80;
          packet[1] = (byte) 201;
          packet[3] = 1;
          packet[7] = 1;
          assertEquals(SrtpStatus.OK, session.sender().protectRtcp(packet, 0, 8));
          assertEquals(SrtpStatus.OK,
              session.receiver().unprotectRtcp(packet, 0, session.sender().lengthBytes()));
        }
      }
      synchronized (Aes.class) {
        assertTrue(chosen.isEmpty(), "jitsi-srtp chose providers on the client path: " + chosen.keySet());
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
