package dev.palco.sfu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.e2e.LoopbackSfu.Peer;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.RoomListener;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.transport.IceTestSupport;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200 participants with full ICE + DTLS join a room where a publisher is live, subscribe, receive
 * media and go, alternately by leaving (explicit) and by vanishing (the client disappears without
 * a word; consent freshness, shortened to 1.5 s here, notices). Afterwards the SFU holds what it
 * held before: threads, file descriptors (sockets), pooled packets, cache buffers, transports
 * and participants.
 */
class JoinLeaveLoopbackTest {
  private static final int CYCLES = 200;
  /**
   * Warm-up cycles, leave and vanish alternating like the measured ones, so that the shared pools
   * (ice4j's STUN and agent executors, the handshake pool) grow to the size this load needs
   * before the baseline is taken: a vanished viewer's transport keeps checking consent until it
   * expires, so some ten of them overlap.
   */
  private static final int WARM_UP_CYCLES = 24;
  private static final int AUDIO_PACKETS_PER_CYCLE = 3;
  /** ice4j's and the JDK's shared pools grow on demand up to their sizes; nothing per cycle. */
  private static final int THREAD_SLACK = 6;

  private static LoopbackSfu server;

  @BeforeAll
  static void start() throws Exception {
    // Consent checks every ~200 ms, expiry after 1.5 s: a vanished client is gone within 2 s.
    server = LoopbackSfu.start(IceTestSupport.loopbackConfig(false));
    // Each vanished viewer's transport logs its consent expiry; 100 of them would drown the output.
    java.util.logging.Logger.getLogger("dev.palco.sfu.transport").setLevel(java.util.logging.Level.WARNING);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void joinSubscribeReceiveAndLeaveOrVanish200TimesReleasesEverything() throws Exception {
    long t0 = System.nanoTime();
    Room room = server.sfu.createRoom("cycles");
    Map<String, Long> goneNanos = new ConcurrentHashMap<>();
    Map<String, String> leaveReasons = new ConcurrentHashMap<>();
    room.addListener(new RoomListener() {
      @Override
      public void onParticipantLeft(Participant p, String reason) {
        goneNanos.put(p.id(), System.nanoTime());
        leaveReasons.put(p.id(), reason);
      }
    });
    Peer pub = server.join(room, "publisher");
    PublisherClient publisher = new PublisherClient(pub.client, 4, 1_000_000, 60);
    TrackPublication cam = pub.participant.publish(publisher.videoTrack("0"));
    TrackPublication mic = pub.participant.publish(publisher.audioTrack("1", false));
    publisher.start();

    Map<String, Long> abandonedNanos = new ConcurrentHashMap<>();
    for (int i = 0; i < WARM_UP_CYCLES; i++) {
      cycle(room, cam, mic, publisher, "warm-up-" + i, i % 2 == 1, abandonedNanos);
    }
    long warmUpMs = (System.nanoTime() - t0) / 1_000_000;
    Await.until("warm-up participants gone", 10_000, () -> room.participants().size() == 1);
    Await.until("warm-up handshake threads idle", 5_000, () -> server.handshakes.getPoolSize() == 0);
    int threadsBefore = IceTestSupport.threadsOutsideIce4jPools();
    String threadNamesBefore = threadNames();
    int rawSocketsBefore = IceTestSupport.openSockets();
    int socketsBefore = IceTestSupport.reachableSockets();
    java.util.List<String> socketListBefore = IceTestSupport.describeSockets();
    long cacheMissesBefore = server.sfu.cacheBufferPool().misses();
    int transportsBefore = server.ice.openTransports();

    long[] cycleMs = new long[CYCLES];
    long[] securedMs = new long[CYCLES];
    int withVideo = 0;
    int threadsMid = -1;
    int socketsMid = -1;
    long loopStart = System.nanoTime();
    for (int i = 0; i < CYCLES; i++) {
      long c0 = System.nanoTime();
      CycleResult r = cycle(room, cam, mic, publisher, "viewer-" + i, i % 2 == 1, abandonedNanos);
      securedMs[i] = r.securedMs;
      withVideo += r.gotVideo ? 1 : 0;
      cycleMs[i] = (System.nanoTime() - c0) / 1_000_000;
      if (i == CYCLES / 2) {
        threadsMid = IceTestSupport.threadsOutsideIce4jPools();
        socketsMid = IceTestSupport.openSockets();
      }
    }
    long loopMs = (System.nanoTime() - loopStart) / 1_000_000;
    long waitStart = System.nanoTime();
    Await.until("every viewer gone (the vanished ones by consent expiry)", 15_000,
        () -> room.participants().size() == 1, () -> room.participants().toString());
    long lastVanishMs = (System.nanoTime() - waitStart) / 1_000_000;
    publisher.stop();
    Await.until("no packet in flight", 5_000, () -> server.sfu.packetPool().outstanding() == 0);
    Await.until("transports closed", 5_000, () -> server.ice.openTransports() == transportsBefore);
    Await.until("handshake threads wound down", 10_000, () -> server.handshakes.getPoolSize() == 0);
    Await.until("threads wound down", 60_000, () -> IceTestSupport.threadsOutsideIce4jPools() <= threadsBefore + THREAD_SLACK,
        () -> "before " + threadsBefore + " " + threadNamesBefore + ", now " + threadNames());
    int rawSocketsAfter = IceTestSupport.openSockets();
    Await.until("sockets closed", 60_000, () -> IceTestSupport.reachableSockets() <= socketsBefore + IceTestSupport.SOCKET_SLACK,
        () -> "before " + socketsBefore + " " + socketListBefore + ", now " + IceTestSupport.reachableSockets() + " "
            + IceTestSupport.describeSockets());

    long[] vanishMs = new long[CYCLES / 2];
    int v = 0;
    for (int i = 1; i < CYCLES; i += 2) {
      String id = "viewer-" + i;
      assertTrue(leaveReasons.get(id).contains("consent"), id + " left because: " + leaveReasons.get(id));
      vanishMs[v++] = (goneNanos.get(id) - abandonedNanos.get(id)) / 1_000_000;
    }
    for (int i = 0; i < CYCLES; i += 2) {
      assertEquals("left", leaveReasons.get("viewer-" + i));
    }
    Arrays.sort(vanishMs);
    long[] sortedSecured = securedMs.clone();
    Arrays.sort(sortedSecured);
    long[] sortedCycle = cycleMs.clone();
    Arrays.sort(sortedCycle);
    System.out.printf("join/leave: %d cycles in %d ms (%.1f ms per cycle: join with ICE + DTLS, subscribe, "
            + "%d audio packets, leave or vanish); cycle median %d ms, p95 %d ms, max %d ms%n",
        CYCLES, loopMs, (double) loopMs / CYCLES, AUDIO_PACKETS_PER_CYCLE, sortedCycle[CYCLES / 2],
        sortedCycle[CYCLES * 95 / 100], sortedCycle[CYCLES - 1]);
    System.out.printf("join/leave: join to secured median %d ms, p95 %d ms, max %d ms; %d of %d cycles also got "
        + "video before leaving%n", sortedSecured[CYCLES / 2], sortedSecured[CYCLES * 95 / 100],
        sortedSecured[CYCLES - 1], withVideo, CYCLES);
    System.out.printf("join/leave: vanish -> participant left (consent expiry) median %d ms, max %d ms; last one "
        + "%d ms after the loop%n", vanishMs[vanishMs.length / 2], vanishMs[vanishMs.length - 1], lastVanishMs);
    System.out.printf("join/leave: %d warm-up cycles in %d ms%n", WARM_UP_CYCLES, warmUpMs);
    System.out.printf("join/leave: threads %d -> %d (after %d cycles, while vanished ones overlap) -> %d, "
            + "sockets once collected %d -> %d (raw count %d before, %d mid-way, %d at the end of the loop), "
            + "packets outstanding %d, cache buffers made %d -> %d, open transports %d -> %d, participants %d%n",
        threadsBefore, threadsMid, CYCLES / 2, IceTestSupport.threadsOutsideIce4jPools(), socketsBefore,
        IceTestSupport.reachableSockets(), rawSocketsBefore, socketsMid, rawSocketsAfter,
        server.sfu.packetPool().outstanding(), cacheMissesBefore, server.sfu.cacheBufferPool().misses(),
        transportsBefore, server.ice.openTransports(), room.participants().size());

    assertEquals(java.util.List.of(pub.participant), room.participants());
    assertEquals(0, server.sfu.packetPool().outstanding());
    // Cache buffers belong to the publisher's packet cache (viewers publish nothing): never more
    // than it holds, and all back in the pool once the publisher leaves.
    assertTrue(server.sfu.cacheBufferPool().misses() <= server.sfu.config().videoCachePackets(),
        "cache buffers made: " + server.sfu.cacheBufferPool().misses());
    assertEquals(transportsBefore, server.ice.openTransports());
    assertTrue(cam.subscriptions().isEmpty() && mic.subscriptions().isEmpty());
    assertEquals(0, publisher.sendFailures.get());

    pub.close();
    assertEquals(server.sfu.cacheBufferPool().misses(), server.sfu.cacheBufferPool().available(),
        "every cache buffer is back in the pool");
    assertEquals(0, server.sfu.packetPool().outstanding());
    room.close();
    System.out.printf("join/leave: test took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  private record CycleResult(long securedMs, boolean gotVideo) {}

  private static CycleResult cycle(Room room, TrackPublication cam, TrackPublication mic, PublisherClient publisher,
      String id, boolean vanish, Map<String, Long> abandonedNanos) throws Exception {
    Peer peer = server.join(room, id);
    SubscriberClient viewer = new SubscriberClient(id, peer.client, publisher.videoSsrc, publisher.audioSsrc,
        0x6000_0000L);
    TrackSubscription audio = peer.participant.subscribe(mic);
    TrackSubscription video = peer.participant.subscribe(cam);
    CodecParameters opus = mic.parameters().codecs().get(0);
    CodecParameters vp8 = cam.parameters().codecs().get(0);
    SubscriberClient.Stream audioStream = viewer.expect(audio, false, opus.payloadType(), -1);
    SubscriberClient.Stream videoStream = viewer.expect(video, true, vp8.payloadType(), vp8.rtxPayloadType());
    Await.until(id + " receives audio", 5_000, () -> {
      synchronized (viewer) {
        return audioStream.distinct() >= AUDIO_PACKETS_PER_CYCLE;
      }
    });
    boolean gotVideo;
    synchronized (viewer) {
      gotVideo = videoStream.started;
      assertEquals(0, viewer.payloadFailures, viewer.toString());
      assertEquals(0, viewer.wrongPayloadType, viewer.toString());
      assertEquals(0, audioStream.duplicates + audioStream.outOfOrder, viewer.toString());
      assertTrue(!gotVideo || videoStream.firstPacketStartsKeyframe, viewer.toString());
    }
    if (vanish) {
      abandonedNanos.put(id, System.nanoTime());
      peer.client.abandon();
    } else {
      peer.close();
      assertTrue(peer.participant.isClosed() && room.participant(id) == null);
    }
    return new CycleResult(peer.msToSecured, gotVideo);
  }

  /** Live threads by name with digits folded, for a failure message. */
  private static String threadNames() {
    Map<String, Integer> byName = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
    }
    return byName.toString();
  }

}
