package dev.palco.rtp.srtp;

import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * Process-wide jitsi-srtp set-up: the policies for our profiles, the logger it wants, and the
 * start-up warm-up.
 */
public final class SrtpSupport {
    /** jitsi-srtp logs through jitsi-utils; its packet-path logging is at debug level. */
    static final Logger LOGGER = new LoggerImpl("dev.palco.rtp.srtp");

    private static final Object WARM_UP_LOCK = new Object();
    private static volatile boolean warmedUp;

    /** Whether jitsi-srtp runs AES on OpenSSL (libcrypto.so.3) rather than a Java provider. */
    private static final boolean OPENSSL;

    static {
        // jitsi-srtp otherwise picks the AES provider by a 0.5 s micro-benchmark at the first
        // context, which is noisy on a loaded machine and may pick SunJCE. SunJCE copies the input
        // of every in-place Cipher.doFinal (about 1 KB of garbage per 1200-byte packet); OpenSSL
        // works in place and is the faster GCM. Pin OpenSSL whenever its native library loaded.
        OPENSSL = JitsiOpenSslProvider.isLoaded();
        if (OPENSSL) {
            Aes.setFactoryClassName(Aes.class.getName() + "$OpenSSLCipherFactory");
        }
    }

    private SrtpSupport() {
    }

    /** True if packet crypto runs on OpenSSL; false if jitsi-srtp fell back to a Java provider. */
    public static boolean usesOpenSsl() {
        return OPENSSL;
    }

    /**
     * Loads jitsi-srtp's native OpenSSL binding (or, without it, runs its half-second provider
     * benchmark over the Java AES implementations) and JIT-warms protect/unprotect for both profiles, so that
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
     * The jitsi-srtp policy for RTP and RTCP of a profile (the same parameters serve both).
     * Sessions use it for AEAD_AES_128_GCM only; the AES128_CM_HMAC_SHA1_80 policy is kept because
     * the tests check our AES-CM byte for byte against jitsi-srtp's.
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
