package dev.palco.rtp.srtp;

import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Process-wide SRTP set-up: the start-up warm-up of both transforms, and for jitsi-srtp (whose
 * crypto contexts the interoperability tests and benchmarks compare ours with, and whose native
 * OpenSSL library {@link OpenSslAesGcm} calls) its policies, its logger and its AES provider.
 */
public final class SrtpSupport {
    /** jitsi-srtp logs through jitsi-utils; its packet-path logging is at debug level. */
    static final Logger LOGGER = new LoggerImpl("dev.palco.rtp.srtp");

    private static final Object WARM_UP_LOCK = new Object();
    private static volatile boolean warmedUp;

    static {
        // jitsi-srtp otherwise picks the AES provider of its own contexts by a 0.5 s
        // micro-benchmark at the first context, which is noisy on a loaded machine and may pick
        // SunJCE, which copies the input of every in-place Cipher.doFinal. Pin OpenSSL whenever
        // its native library loaded, so that comparisons run against jitsi-srtp at its best.
        if (JitsiOpenSslProvider.isLoaded()) {
            Aes.setFactoryClassName(Aes.class.getName() + "$OpenSSLCipherFactory");
        }
    }

    private SrtpSupport() {
    }

    /**
     * True if AEAD_AES_128_GCM runs on OpenSSL ({@link OpenSslAesGcm}, nothing allocated per
     * packet); false if it fell back to the JDK's provider, for the reason {@link
     * #openSslUnavailableReason()} gives.
     */
    public static boolean usesOpenSsl() {
        return OpenSslAesGcm.isAvailable();
    }

    /** Why GCM does not run on OpenSSL, or null if it does. */
    public static String openSslUnavailableReason() {
        return OpenSslAesGcm.unavailableReason();
    }

    /**
     * Loads the native OpenSSL binding and JIT-warms protect/unprotect for both profiles, so that
     * the first real packet does not stall. Call once at server start-up; later calls return at
     * once. Blocks the calling thread; safe to call from several threads.
     */
    public static void warmUp() {
        if (warmedUp) {
            return;
        }
        synchronized (WARM_UP_LOCK) {
            if (warmedUp) {
                return;
            }
            byte[] packet = new byte[200 + 32];
            for (SrtpProfile profile : SrtpProfile.values()) {
                byte[] key = new byte[profile.masterKeyLengthBytes()];
                byte[] salt = new byte[profile.masterSaltLengthBytes()];
                try (SrtpSession a = SrtpSession.create(profile, key, salt, key, salt, 1)) {
                    for (int seq = 0; seq < 64; seq++) {
                        writeWarmUpRtp(packet, seq);
                        if (a.sender().protectRtp(packet, 0, 200) == SrtpStatus.OK) {
                            a.receiver().unprotectRtp(packet, 0, a.sender().lengthBytes());
                        }
                    }
                }
            }
            warmedUp = true;
        }
    }

    private static void writeWarmUpRtp(byte[] packet, int seq) {
        java.util.Arrays.fill(packet, (byte) 0);
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[2] = (byte) (seq >>> 8);
        packet[3] = (byte) seq;
        packet[11] = 1;
    }

    /**
     * The jitsi-srtp policy for RTP and RTCP of a profile (the same parameters serve both). The
     * sessions do not use it; the tests check our transforms byte for byte against jitsi-srtp's
     * contexts built with it.
     */
    static SrtpPolicy policyFor(SrtpProfile profile) {
        SrtpPolicy policy;
        switch (profile) {
            case AEAD_AES_128_GCM:
                // RFC 7714: GCM authenticates by itself, so no separate HMAC.
                policy = new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLengthBytes(),
                        SrtpPolicy.NULL_AUTHENTICATION, 0, profile.authTagLengthBytes(),
                        profile.masterSaltLengthBytes());
                break;
            case AES128_CM_HMAC_SHA1_80:
                // RFC 3711 §5.2: 160-bit HMAC-SHA1 session auth key, tag truncated to 80 bits.
                policy = new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLengthBytes(),
                        SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.authTagLengthBytes(),
                        profile.masterSaltLengthBytes());
                break;
            default:
                throw new IllegalStateException("unhandled profile " + profile);
        }
        // Receive side: RFC 3711 §3.3.2 replay list, for RTP and RTCP alike.
        policy.setReceiveReplayEnabled(true);
        // Send side: jitsi's check is only a self-consistency check, and it would refuse to
        // re-protect a packet the SFU resends on NACK without RTX (same SSRC and sequence number).
        policy.setSendReplayEnabled(false);
        return policy;
    }
}
