package dev.palco.loadtest.forwarding;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackParameters;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.util.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Bytes allocated per forwarded packet on the SFU's whole forwarding path, measured with JMH's
 * {@code -prof gc} ({@code gc.alloc.rate.norm}, B/op).
 *
 * <p>One operation is one publisher RTP packet (1,200-byte VP8, under each {@link SrtpProfile}) forwarded to
 * {@code subscribers} subscriptions, through a real {@link Sfu} with in-memory transports: the
 * publisher's transport hands the datagram over, the participant copies it into a pooled packet
 * and queues it, and (with {@code workerThreads = 0}, so the queue drains on this thread) the
 * receive pipeline decrypts, parses, routes, deduplicates, records statistics, tracks NACK state,
 * detects keyframes, caches, and fans out; each subscription copies, selects, rewrites, encrypts
 * and sends. The arrival-to-send latency histogram records on the way.
 *
 * <p>Each operation also protects the packet on the publisher's side (the benchmark plays the
 * browser), which is not SFU work. So that SRTP's own allocation can be told apart from Palco's,
 * three benchmarks run on identical inputs:
 * <ul>
 *   <li>{@code clientProtectOnly}: the publisher-side protect alone (the benchmark's own cost);</li>
 *   <li>{@code srtpOnly}: that, plus exactly the SRTP work the SFU does for one packet: one
 *       unprotect and {@code subscribers} protects, on sessions keyed the same way;</li>
 *   <li>{@code forward}: that protect, plus the whole forwarding path.</li>
 * </ul>
 * The SFU's forwarding path with SRTP allocates {@code forward − clientProtectOnly} bytes per
 * packet, and without SRTP (Palco's own code) {@code forward − srtpOnly}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class ForwardingAllocationBenchmark {
  private static final int VP8_PT = 96;
  private static final int PACKET_BYTES = 1_200;
  private static final long PUBLISHER_SSRC = 0x1234_5678L;

  /** Subscriptions each packet is forwarded to. */
  @Param({"1", "10"})
  public int subscribers;

  /** The SRTP profile of every transport; all of {@link SrtpProfile}'s values are run. */
  @Param
  public SrtpProfile profile;

  private Sfu sfu;
  private InMemoryTransport publisherTransport;
  private InMemoryTransport[] subscriberTransports;
  private SrtpSession publisherClient;
  // For srtpOnly: the SFU's sessions, used standalone.
  private SrtpSession sfuFromPublisher;
  private SrtpSession[] sfuToSubscribers;
  private final byte[] plain = new byte[PACKET_BYTES];
  private final byte[] wire = new byte[PACKET_BYTES + 64];
  private final byte[] scratch = new byte[PACKET_BYTES + 64];
  private int sequenceNumber;
  private long timestamp;

  @Setup(Level.Trial)
  public void setUp() {
    SrtpSupport.warmUp();
    SfuConfig config = SfuConfig.defaults().withWorkerThreads(0).withTimerPeriodMs(0);
    sfu = new Sfu(config, Clock.SYSTEM, new SplittableRandom(1));
    Room room = sfu.createRoom("bench");
    int seed = 1;
    SrtpSession[] pub = keyedPair(seed++);
    publisherClient = pub[0];
    publisherTransport = new InMemoryTransport("publisher", pub[1]);
    sfuFromPublisher = keyedPair(1)[1];
    var publisher = room.join("publisher", publisherTransport);
    TrackPublication cam = publisher.publish(new TrackParameters(TrackKind.VIDEO, "0",
        List.of(CodecParameters.vp8(VP8_PT, 97)), Map.of(),
        List.of(new TrackParameters.SsrcPair(PUBLISHER_SSRC, PUBLISHER_SSRC + 1)), List.of(), false, "s", "t"));
    subscriberTransports = new InMemoryTransport[subscribers];
    sfuToSubscribers = new SrtpSession[subscribers];
    for (int i = 0; i < subscribers; i++) {
      SrtpSession[] s = keyedPair(seed++);
      subscriberTransports[i] = new InMemoryTransport("sub-" + i, s[1]);
      sfuToSubscribers[i] = keyedPair(seed - 1)[1];
      room.join("sub-" + i, subscriberTransports[i]).subscribe(cam);
    }
    SplittableRandom random = new SplittableRandom(7);
    sequenceNumber = random.nextInt(1 << 16);
    timestamp = random.nextLong(1L << 32);
    // A keyframe first: subscriptions forward from a keyframe on.
    writePacket(true);
    deliver();
    writePacket(false);
    for (int i = 0; i < 10_000; i++) {
      nextPacket();
      deliver();
    }
    if (subscriberTransports[subscribers - 1].sentPackets() < 10_000) {
      throw new IllegalStateException("packets were not forwarded: "
          + subscriberTransports[subscribers - 1].sentPackets());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long outstanding = sfu.packetPool().outstanding();
    sfu.close();
    if (outstanding != 0) {
      throw new IllegalStateException(outstanding + " pooled packets not released");
    }
  }

  /** Two sessions keyed opposite to each other: [0] the peer's, [1] the SFU's. */
  private SrtpSession[] keyedPair(int seed) {
    byte[] peerKey = filled(profile.masterKeyLengthBytes(), seed);
    byte[] peerSalt = filled(profile.masterSaltLengthBytes(), seed + 50);
    byte[] sfuKey = filled(profile.masterKeyLengthBytes(), seed + 100);
    byte[] sfuSalt = filled(profile.masterSaltLengthBytes(), seed + 150);
    return new SrtpSession[] {
      SrtpSession.create(profile, peerKey, peerSalt, sfuKey, sfuSalt, 64),
      SrtpSession.create(profile, sfuKey, sfuSalt, peerKey, peerSalt, 64)
    };
  }

  private static byte[] filled(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  /** A VP8 packet as a browser sends it: RTP header, RFC 7741 descriptor, a synthetic body. */
  private void writePacket(boolean keyframe) {
    int off = RtpPacket.writeFixedHeader(plain, 0, false, VP8_PT, sequenceNumber, timestamp, PUBLISHER_SSRC);
    plain[off++] = (byte) (0x80 | (keyframe ? 0x10 : 0)); // X=1, S only on the keyframe's first packet
    plain[off++] = (byte) 0x80; // I=1: picture id follows
    plain[off++] = (byte) 0x80; // M=1: 15-bit picture id 0
    plain[off++] = 0;
    if (keyframe) {
      plain[off++] = 0x10; // RFC 6386 §9.1 frame tag: P=0 (key frame), show_frame
      plain[off++] = 0x02;
      plain[off++] = 0x00;
      plain[off++] = (byte) 0x9d; // start code
      plain[off++] = 0x01;
      plain[off++] = 0x2a;
      plain[off++] = (byte) 0x80; // width 1280
      plain[off++] = 0x02;
      plain[off++] = (byte) 0xD0; // height 720
      plain[off++] = 0x02;
    }
    SyntheticPayload.write(plain, off, PACKET_BYTES - off, PUBLISHER_SSRC, 0, 0, 1);
  }

  private void nextPacket() {
    sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
    timestamp = (timestamp + 3_000) & 0xFFFF_FFFFL;
    RtpPacket.setSequenceNumber(plain, 0, sequenceNumber);
    RtpPacket.setTimestamp(plain, 0, timestamp);
  }

  /** Protects the packet as the publisher would; returns the protected length. */
  private int protect() {
    System.arraycopy(plain, 0, wire, 0, PACKET_BYTES);
    if (publisherClient.sender().protectRtp(wire, 0, PACKET_BYTES) != SrtpStatus.OK) {
      throw new IllegalStateException("protect failed");
    }
    return publisherClient.sender().lengthBytes();
  }

  private void deliver() {
    int len = protect();
    publisherTransport.deliver(wire, 0, len, false);
  }

  /** The benchmark's own cost: protecting the next packet as the publisher. */
  @Benchmark
  public int clientProtectOnly() {
    nextPacket();
    return protect();
  }

  /** That, plus the SRTP work of the SFU for one packet: one unprotect, one protect per subscriber. */
  @Benchmark
  public int srtpOnly() {
    nextPacket();
    int len = protect();
    if (sfuFromPublisher.receiver().unprotectRtp(wire, 0, len) != SrtpStatus.OK) {
      throw new IllegalStateException("unprotect failed");
    }
    int plainLen = sfuFromPublisher.receiver().lengthBytes();
    int total = 0;
    for (SrtpSession s : sfuToSubscribers) {
      System.arraycopy(wire, 0, scratch, 0, plainLen);
      s.sender().protectRtp(scratch, 0, plainLen);
      total += s.sender().lengthBytes();
    }
    return total;
  }

  /** That protect, plus the SFU's whole forwarding path to every subscriber. */
  @Benchmark
  public long forward() {
    nextPacket();
    deliver();
    return subscriberTransports[0].sentPackets();
  }
}
