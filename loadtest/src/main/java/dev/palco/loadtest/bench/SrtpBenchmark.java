package dev.palco.loadtest.bench;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.RtpSequence;
import dev.palco.rtp.srtp.MutableByteArrayBuffer;
import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpReceiver;
import dev.palco.rtp.srtp.SrtpSender;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.rtp.srtp.SrtpSupport;
import java.security.GeneralSecurityException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * SRTP on one core: protect, and protect followed by unprotect, of a 1200-byte Chromium VP8 packet
 * for each {@link SrtpProfile} and each {@code api}: {@code SrtpSession} is Palco's public API
 * (both profiles on Palco's own transforms: AES-CM, and AES-GCM over OpenSSL), {@code jitsiDirect}
 * calls jitsi-srtp's crypto contexts directly for the same profile, with no Palco code in between;
 * that is the implementation Palco used before its own. Scores are operations per second on one
 * thread, so {@link #protect} reads as protected packets/s and {@link #protectThenUnprotect} as
 * packets/s through both directions (a packet that one transport sends and another receives).
 *
 * <p>The receiver's replay protection (RFC 3711 §3.3.2) rejects an index it has seen, so every
 * operation stamps the next sequence number (wrapping at 65535, which moves the rollover counter on
 * both sides in step) before protecting. The packet is protected and unprotected in place in the
 * same buffer; protect-only keeps encrypting the previous ciphertext, which costs the same.
 *
 * <p>{@link SrtpSupport#warmUp()} (which also pins jitsi-srtp's AES provider to OpenSSL) and key
 * derivation run in set-up, outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class SrtpBenchmark {
    /** Seed for the master keys and salts, so runs are reproducible. */
    private static final long KEY_SEED = 0x5EED_0002L;

    /** The protection profile; all of {@link SrtpProfile}'s values are run. */
    @Param
    public SrtpProfile profile;

    /** {@code SrtpSession} (Palco's API) or {@code jitsiDirect} (jitsi-srtp's contexts alone). */
    @Param({"SrtpSession", "jitsiDirect"})
    public String api;

    private SrtpSession senderSession;
    private SrtpSession receiverSession;
    private SrtpSender sender;
    private SrtpReceiver receiver;
    private SrtpContextFactory jitsiSendFactory;
    private SrtpContextFactory jitsiReceiveFactory;
    private SrtpCryptoContext jitsiSender;
    private SrtpCryptoContext jitsiReceiver;
    private final MutableByteArrayBuffer view = new MutableByteArrayBuffer();
    private byte[] buf;
    private int len;
    private int sequenceNumber;

    /** Two sessions whose keys mirror each other: what one sends, the other can receive. */
    @Setup(Level.Trial)
    public void setUp() {
        SrtpSupport.warmUp();
        SplittableRandom random = new SplittableRandom(KEY_SEED);
        byte[] keyA = randomBytes(random, profile.masterKeyLengthBytes());
        byte[] saltA = randomBytes(random, profile.masterSaltLengthBytes());
        byte[] keyB = randomBytes(random, profile.masterKeyLengthBytes());
        byte[] saltB = randomBytes(random, profile.masterSaltLengthBytes());
        senderSession = SrtpSession.create(profile, keyA, saltA, keyB, saltB, 4);
        receiverSession = SrtpSession.create(profile, keyB, saltB, keyA, saltA, 4);
        sender = senderSession.sender();
        receiver = receiverSession.receiver();

        buf = new byte[ChromiumVp8Packet.LENGTH_BYTES + profile.rtpOverheadBytes()];
        len = ChromiumVp8Packet.write(buf, 0);
        sequenceNumber = RtpPacket.sequenceNumber(buf, 0);
        if (api.equals("jitsiDirect")) {
            SrtpPolicy policy = jitsiPolicy(profile);
            LoggerImpl logger = new LoggerImpl(SrtpBenchmark.class.getName());
            jitsiSendFactory = new SrtpContextFactory(true, keyA, saltA, policy, policy, logger);
            jitsiReceiveFactory = new SrtpContextFactory(false, keyA.clone(), saltA.clone(), policy,
                    policy, logger);
            int ssrc = (int) RtpPacket.ssrc(buf, 0);
            try {
                jitsiSender = jitsiSendFactory.deriveContext(ssrc, 0);
                jitsiReceiver = jitsiReceiveFactory.deriveContext(ssrc, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        } else if (!api.equals("SrtpSession")) {
            throw new IllegalArgumentException("api: " + api);
        }
        // Derive both contexts now, and prove the keys match, before anything is measured.
        if (roundTrip() != ChromiumVp8Packet.LENGTH_BYTES) {
            throw new IllegalStateException("round trip did not restore the packet length");
        }
        System.out.println("SRTP crypto on OpenSSL: " + SrtpSupport.usesOpenSsl());
    }

    /** Zeroes the keys. */
    @TearDown(Level.Trial)
    public void tearDown() {
        senderSession.close();
        receiverSession.close();
        if (jitsiSendFactory != null) {
            jitsiSendFactory.close();
            jitsiReceiveFactory.close();
        }
    }

    /** Protect only: encrypt and tag one packet. */
    @Benchmark
    public void protect(Blackhole blackhole) {
        sequenceNumber = RtpSequence.add(sequenceNumber, 1);
        RtpPacket.setSequenceNumber(buf, 0, sequenceNumber);
        blackhole.consume(protectOnce());
    }

    private int protectOnce() {
        if (jitsiSender != null) {
            view.wrap(buf, 0, len);
            if (jitsi(true) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("protect failed");
            }
            return view.getLength();
        }
        if (sender.protectRtp(buf, 0, len) != SrtpStatus.OK) {
            throw new IllegalStateException("protect failed");
        }
        return sender.lengthBytes();
    }

    private SrtpErrorStatus jitsi(boolean protect) {
        try {
            return protect ? jitsiSender.transformPacket(view)
                    : jitsiReceiver.reverseTransformPacket(view, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Protect, then verify, replay-check and decrypt the same packet on the peer session. */
    @Benchmark
    public void protectThenUnprotect(Blackhole blackhole) {
        blackhole.consume(roundTrip());
    }

    private int roundTrip() {
        sequenceNumber = RtpSequence.add(sequenceNumber, 1);
        RtpPacket.setSequenceNumber(buf, 0, sequenceNumber);
        int protectedLen = protectOnce();
        if (jitsiReceiver != null) {
            view.wrap(buf, 0, protectedLen);
            if (jitsi(false) != SrtpErrorStatus.OK) {
                throw new IllegalStateException("unprotect failed");
            }
            return view.getLength();
        }
        if (receiver.unprotectRtp(buf, 0, protectedLen) != SrtpStatus.OK) {
            throw new IllegalStateException("unprotect failed");
        }
        return receiver.lengthBytes();
    }

    /** The jitsi-srtp policy Palco uses for a profile (as {@code SrtpSupport} builds it). */
    private static SrtpPolicy jitsiPolicy(SrtpProfile profile) {
        SrtpPolicy policy = profile == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLengthBytes(),
                        SrtpPolicy.NULL_AUTHENTICATION, 0, profile.authTagLengthBytes(),
                        profile.masterSaltLengthBytes())
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLengthBytes(),
                        SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.authTagLengthBytes(),
                        profile.masterSaltLengthBytes());
        policy.setReceiveReplayEnabled(true);
        policy.setSendReplayEnabled(false);
        return policy;
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
