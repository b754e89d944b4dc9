package dev.palco.rtp.srtp;

/**
 * The SRTP protection profiles we negotiate in the DTLS use_srtp extension, in preference order.
 *
 * <p>Lengths follow RFC 5764 §4.1.2 (AES128_CM_HMAC_SHA1_80) and RFC 7714 §14.2
 * (AEAD_AES_128_GCM). For GCM the "auth tag" is the AEAD tag appended to the ciphertext (RFC 7714
 * §7.2); for CM it is the truncated HMAC-SHA1 tag (RFC 3711 §4.2). SRTCP additionally carries the
 * 4-byte E-flag/SRTCP-index word (RFC 3711 §3.4), which GCM places after its tag (RFC 7714 §9.1)
 * and CM places before its tag.
 */
public enum SrtpProfile {
    /** RFC 7714 AEAD_AES_128_GCM, use_srtp id {0x00, 0x07}. Preferred: cheaper and a stronger tag. */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16),
    /** RFC 3711 AES-CM with an 80-bit HMAC-SHA1 tag, use_srtp id {0x00, 0x01} (RFC 5764 §4.1.2). */
    AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10);

    /** Length of the SRTCP E-flag + 31-bit index word, RFC 3711 §3.4. */
    public static final int SRTCP_INDEX_SIZE_BYTES = 4;

    private final int protectionProfileId;
    private final int masterKeyLengthBytes;
    private final int masterSaltLengthBytes;
    private final int authTagLengthBytes;

    SrtpProfile(int protectionProfileId, int masterKeyLengthBytes, int masterSaltLengthBytes,
            int authTagLengthBytes) {
        this.protectionProfileId = protectionProfileId;
        this.masterKeyLengthBytes = masterKeyLengthBytes;
        this.masterSaltLengthBytes = masterSaltLengthBytes;
        this.authTagLengthBytes = authTagLengthBytes;
    }

    /** The two-byte SRTPProtectionProfile value of the use_srtp extension (RFC 5764 §4.1.2). */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    /** Master key length: the SRTP cipher key length of the profile. */
    public int masterKeyLengthBytes() {
        return masterKeyLengthBytes;
    }

    /** Master salt length: 112 bits for AES-CM, 96 bits for AES-GCM. */
    public int masterSaltLengthBytes() {
        return masterSaltLengthBytes;
    }

    /** Length of the authentication (or AEAD) tag appended to each SRTP and SRTCP packet. */
    public int authTagLengthBytes() {
        return authTagLengthBytes;
    }

    /** Bytes that protecting an RTP packet appends: the caller's tailroom must be at least this. */
    public int rtpOverheadBytes() {
        return authTagLengthBytes;
    }

    /** Bytes that protecting an RTCP packet appends: tag plus the SRTCP index word. */
    public int rtcpOverheadBytes() {
        return authTagLengthBytes + SRTCP_INDEX_SIZE_BYTES;
    }

    /**
     * Length of the DTLS exporter output that keys this profile: client key, server key, client
     * salt, server salt (RFC 5764 §4.2).
     */
    public int keyingMaterialLengthBytes() {
        return 2 * (masterKeyLengthBytes + masterSaltLengthBytes);
    }

    /** The profile for a use_srtp id, or {@code null} if we do not support it. */
    public static SrtpProfile fromProtectionProfileId(int id) {
        for (SrtpProfile p : values()) {
            if (p.protectionProfileId == id) {
                return p;
            }
        }
        return null;
    }
}
