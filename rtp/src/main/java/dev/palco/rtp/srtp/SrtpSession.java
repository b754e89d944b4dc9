package dev.palco.rtp.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP state of one transport: a {@link SrtpSender} keyed with our master key and salt, and a
 * {@link SrtpReceiver} keyed with the peer's. AES128_CM_HMAC_SHA1_80 runs on {@link
 * AesCmTransformer}, AEAD_AES_128_GCM on {@link AesGcmTransformer}; neither allocates per packet.
 *
 * <p>Threading: the sender and the receiver are independent and may run on two different threads
 * at once; each of them must be driven by one thread at a time. {@link #close()} may be called
 * from any thread; afterwards both sides answer {@link SrtpStatus#NO_CONTEXT}.
 */
public final class SrtpSession implements AutoCloseable {
    /** Default bound on SSRC contexts per direction and per RTP/RTCP: generous for simulcast + RTX. */
    public static final int DEFAULT_MAX_SSRCS = 64;

    private final SrtpProfile profile;
    private final SrtpSender sender;
    private final SrtpReceiver receiver;

    private SrtpSession(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
            byte[] remoteSalt, int maxSsrcs) {
        this.profile = Objects.requireNonNull(profile, "profile");
        checkLength("local master key", localKey, profile.masterKeyLengthBytes());
        checkLength("local master salt", localSalt, profile.masterSaltLengthBytes());
        checkLength("remote master key", remoteKey, profile.masterKeyLengthBytes());
        checkLength("remote master salt", remoteSalt, profile.masterSaltLengthBytes());
        if (maxSsrcs < 1) {
            throw new IllegalArgumentException("maxSsrcs must be positive: " + maxSsrcs);
        }
        // Each transform derives its session keys here and keeps no copy of the master keys.
        this.sender = new SrtpSender(profile, transform(profile, localKey, localSalt), maxSsrcs);
        this.receiver = new SrtpReceiver(profile, transform(profile, remoteKey, remoteSalt),
                maxSsrcs);
    }

    private static SrtpTransform transform(SrtpProfile profile, byte[] masterKey,
            byte[] masterSalt) {
        switch (profile) {
            case AES128_CM_HMAC_SHA1_80:
                return new AesCmTransformer(masterKey, masterSalt);
            case AEAD_AES_128_GCM:
                return AesGcmTransformer.create(masterKey, masterSalt);
            default:
                throw new IllegalStateException("unhandled profile " + profile);
        }
    }

    /**
     * A session from explicit master keys and salts.
     *
     * @param profile the negotiated protection profile
     * @param localKey our master key (protects what we send)
     * @param localSalt our master salt
     * @param remoteKey the peer's master key (unprotects what we receive)
     * @param remoteSalt the peer's master salt
     * @param maxSsrcs the most SSRCs each of the four contexts (send/receive × RTP/RTCP) will
     *     create; packets for further SSRCs get {@link SrtpStatus#NO_CONTEXT}
     * @throws IllegalArgumentException if a key or salt has the wrong length for the profile
     */
    public static SrtpSession create(SrtpProfile profile, byte[] localKey, byte[] localSalt,
            byte[] remoteKey, byte[] remoteSalt, int maxSsrcs) {
        return new SrtpSession(profile, localKey, localSalt, remoteKey, remoteSalt, maxSsrcs);
    }

    /**
     * A session from the output of the DTLS exporter with label "EXTRACTOR-dtls_srtp", split as in
     * RFC 5764 §4.2:
     *
     * <pre>
     * client_write_SRTP_master_key[key_len]
     * server_write_SRTP_master_key[key_len]
     * client_write_SRTP_master_salt[salt_len]
     * server_write_SRTP_master_salt[salt_len]
     * </pre>
     *
     * The DTLS client sends with the client key and salt; the server sends with the server ones.
     *
     * @param isDtlsClient whether we were the DTLS client of the handshake
     * @throws IllegalArgumentException if the material has the wrong length for the profile
     */
    public static SrtpSession fromDtlsKeyingMaterial(SrtpProfile profile, byte[] keyingMaterial,
            boolean isDtlsClient, int maxSsrcs) {
        Objects.requireNonNull(profile, "profile");
        checkLength("keying material", keyingMaterial, profile.keyingMaterialLengthBytes());
        int keyLen = profile.masterKeyLengthBytes();
        int saltLen = profile.masterSaltLengthBytes();
        byte[] clientKey = Arrays.copyOfRange(keyingMaterial, 0, keyLen);
        byte[] serverKey = Arrays.copyOfRange(keyingMaterial, keyLen, 2 * keyLen);
        byte[] clientSalt = Arrays.copyOfRange(keyingMaterial, 2 * keyLen, 2 * keyLen + saltLen);
        byte[] serverSalt = Arrays.copyOfRange(keyingMaterial, 2 * keyLen + saltLen,
                2 * keyLen + 2 * saltLen);
        try {
            return isDtlsClient
                    ? new SrtpSession(profile, clientKey, clientSalt, serverKey, serverSalt, maxSsrcs)
                    : new SrtpSession(profile, serverKey, serverSalt, clientKey, clientSalt, maxSsrcs);
        } finally {
            Arrays.fill(clientKey, (byte) 0);
            Arrays.fill(serverKey, (byte) 0);
            Arrays.fill(clientSalt, (byte) 0);
            Arrays.fill(serverSalt, (byte) 0);
        }
    }

    private static void checkLength(String what, byte[] value, int expected) {
        Objects.requireNonNull(value, what);
        if (value.length != expected) {
            throw new IllegalArgumentException(
                    what + " must be " + expected + " bytes, got " + value.length);
        }
    }

    /** The negotiated profile. */
    public SrtpProfile profile() {
        return profile;
    }

    /** Protects what we send (RTP and RTCP). */
    public SrtpSender sender() {
        return sender;
    }

    /** Unprotects what we receive (SRTP and SRTCP), with replay protection. */
    public SrtpReceiver receiver() {
        return receiver;
    }

    /**
     * Stops both directions and zeroes what the transforms hold on the Java heap: session salts
     * and HMAC pads. AES key schedules live inside the ciphers (see {@code OpenSslAesGcm}).
     * Idempotent.
     */
    @Override
    public void close() {
        sender.close();
        receiver.close();
    }
}
