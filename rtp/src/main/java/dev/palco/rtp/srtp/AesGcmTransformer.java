package dev.palco.rtp.srtp;

import java.util.Arrays;

/**
 * SRTP and SRTCP with AEAD_AES_128_GCM (RFC 7714) for one direction of one session: the session
 * keys and salts derived once (RFC 7714 §11 keeps the RFC 3711 §4.3 derivation), one {@link
 * AesGcm} engine each for RTP and RTCP, and the in-place transforms.
 *
 * <pre>
 * SRTP (RFC 7714 §8):                      SRTCP (RFC 7714 §9):
 * +----------------------------+ AAD       +----------------------------+ AAD
 * | RTP header (CSRCs, ext.)   |           | V=2|P|RC | PT | length     |
 * +----------------------------+           | SSRC of sender             |
 * | payload      (encrypted)   |           +----------------------------+
 * +----------------------------+           | rest of compound (enc.)    |
 * | GCM tag (128 bits)         |           +----------------------------+
 * +----------------------------+           | GCM tag (128 bits)         |
 *                                          +----------------------------+
 *                                          |E| SRTCP index (31 bits)    | AAD
 *                                          +----------------------------+
 *
 * RTP IV  = (00 00 | SSRC | ROC | SEQ)                XOR 96-bit session salt   (§8.1)
 * RTCP IV = (00 00 | SSRC | 00 00 | 0 | SRTCP index)  XOR 96-bit session salt   (§9.1)
 * </pre>
 *
 * <p>An SRTCP packet with E = 0 is authenticated only: its whole body, then the E||index word, is
 * associated data and the ciphertext is empty (RFC 7714 §9.2). We always send E = 1.
 *
 * <p>On the packet path nothing here allocates (with {@link OpenSslAesGcm}) or throws.
 */
final class AesGcmTransformer implements SrtpTransform {
    private static final int SESSION_KEY_SIZE_BYTES = 16;
    /** RFC 7714 §11: the session salt is 96 bits. */
    private static final int SALT_SIZE_BYTES = 12;
    private static final int TAG_SIZE_BYTES = AesGcm.TAG_SIZE_BYTES;
    private static final int SRTCP_HEADER_SIZE_BYTES = SrtpPacketChecks.RTCP_HEADER_SIZE_BYTES;
    private static final int SRTCP_INDEX_SIZE_BYTES = SrtpProfile.SRTCP_INDEX_SIZE_BYTES;
    private static final int SRTCP_E_FLAG = 0x8000_0000;

    private final AesGcm rtpCipher;
    private final AesGcm rtcpCipher;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    /** The IV of the packet in hand. */
    private final byte[] iv = new byte[AesGcm.IV_SIZE_BYTES];
    private int lengthBytes;

    /**
     * Derives the four session keys and salts of RFC 7714 §11 from a master key and salt, on the
     * OpenSSL engine where it is available.
     *
     * @param masterKey the 128-bit master key (not kept)
     * @param masterSalt the 96-bit master salt (not kept)
     */
    static AesGcmTransformer create(byte[] masterKey, byte[] masterSalt) {
        return new AesGcmTransformer(masterKey, masterSalt, OpenSslAesGcm.isAvailable());
    }

    /**
     * @param openSsl true for {@link OpenSslAesGcm}, false for {@link JcaAesGcm}
     */
    AesGcmTransformer(byte[] masterKey, byte[] masterSalt, boolean openSsl) {
        byte[] ke = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, SESSION_KEY_SIZE_BYTES);
        byte[] kce = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, SESSION_KEY_SIZE_BYTES);
        try {
            rtpSalt = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                    SrtpKeyDerivation.LABEL_RTP_SALT, SALT_SIZE_BYTES);
            rtcpSalt = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                    SrtpKeyDerivation.LABEL_RTCP_SALT, SALT_SIZE_BYTES);
            rtpCipher = openSsl ? new OpenSslAesGcm(ke) : new JcaAesGcm(ke);
            rtcpCipher = openSsl ? new OpenSslAesGcm(kce) : new JcaAesGcm(kce);
        } finally {
            Arrays.fill(ke, (byte) 0);
            Arrays.fill(kce, (byte) 0);
        }
    }

    @Override
    public int lengthBytes() {
        return lengthBytes;
    }

    /** RFC 7714 §8: the header is associated data, the payload is sealed, the tag follows. */
    @Override
    public SrtpStatus protectRtp(byte[] buf, int off, int len, int headerLen,
            SrtpStreamState state) {
        long index = state.estimateSendIndex(SrtpPacketChecks.rtpSequenceNumber(buf, off));
        rtpIv(SrtpPacketChecks.rtpSsrc(buf, off), index);
        if (!rtpCipher.start(iv, true)
                || !rtpCipher.aad(buf, off, headerLen)
                || !rtpCipher.seal(buf, off + headerLen, len - headerLen)) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        state.recordSent(index);
        lengthBytes = len + TAG_SIZE_BYTES;
        return SrtpStatus.OK;
    }

    /**
     * Estimates the index, checks replay, then opens; the stream state moves only if the tag
     * matched (RFC 3711 §3.3.1, which RFC 7714 §7 keeps).
     */
    @Override
    public SrtpStatus unprotectRtp(byte[] buf, int off, int len, int headerLen,
            SrtpStreamState state) {
        long index = state.estimateRtpIndex(SrtpPacketChecks.rtpSequenceNumber(buf, off));
        if (state.isReplayed(index)) {
            return SrtpStatus.REPLAY_FAIL;
        }
        int sealedLen = len - TAG_SIZE_BYTES;
        rtpIv(SrtpPacketChecks.rtpSsrc(buf, off), index);
        if (!rtpCipher.start(iv, false) || !rtpCipher.aad(buf, off, headerLen)) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        if (!rtpCipher.open(buf, off + headerLen, sealedLen - headerLen)) {
            return SrtpStatus.AUTH_FAIL;
        }
        state.acceptReceived(index);
        lengthBytes = sealedLen;
        return SrtpStatus.OK;
    }

    /**
     * RFC 7714 §9: writes E=1 with the next SRTCP index after where the tag will go, feeds the
     * 8-byte header and that word as associated data, and seals the rest. The caller has checked
     * {@code len >= 8} and the tailroom of {@link SrtpProfile#rtcpOverheadBytes()}.
     */
    @Override
    public SrtpStatus protectRtcp(byte[] buf, int off, int len, SrtpStreamState state) {
        int index = state.takeSrtcpIndex();
        int wordAt = off + len + TAG_SIZE_BYTES;
        SrtpPacketChecks.writeInt(buf, wordAt, SRTCP_E_FLAG | index);
        rtcpIv(SrtpPacketChecks.rtcpSenderSsrc(buf, off), index);
        if (!rtcpCipher.start(iv, true)
                || !rtcpCipher.aad(buf, off, SRTCP_HEADER_SIZE_BYTES)
                || !rtcpCipher.aad(buf, wordAt, SRTCP_INDEX_SIZE_BYTES)
                || !rtcpCipher.seal(buf, off + SRTCP_HEADER_SIZE_BYTES,
                        len - SRTCP_HEADER_SIZE_BYTES)) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        lengthBytes = len + TAG_SIZE_BYTES + SRTCP_INDEX_SIZE_BYTES;
        return SrtpStatus.OK;
    }

    /**
     * Replay-checks the SRTCP index, then opens: with E=1 the body after the header is ciphertext;
     * with E=0 it is associated data and only the tag is checked. The caller has checked {@code
     * len >= 8 + 16 + 4}.
     */
    @Override
    public SrtpStatus unprotectRtcp(byte[] buf, int off, int len, SrtpStreamState state) {
        int wordAt = off + len - SRTCP_INDEX_SIZE_BYTES;
        int tagAt = wordAt - TAG_SIZE_BYTES;
        int word = SrtpPacketChecks.readInt(buf, wordAt);
        int index = word & ~SRTCP_E_FLAG;
        if (state.isReplayed(index)) {
            return SrtpStatus.REPLAY_FAIL;
        }
        boolean encrypted = (word & SRTCP_E_FLAG) != 0;
        int clearLen = encrypted ? SRTCP_HEADER_SIZE_BYTES : tagAt - off;
        rtcpIv(SrtpPacketChecks.rtcpSenderSsrc(buf, off), index);
        if (!rtcpCipher.start(iv, false)
                || !rtcpCipher.aad(buf, off, clearLen)
                || !rtcpCipher.aad(buf, wordAt, SRTCP_INDEX_SIZE_BYTES)) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        if (!rtcpCipher.open(buf, off + clearLen, tagAt - off - clearLen)) {
            return SrtpStatus.AUTH_FAIL;
        }
        state.acceptReceived(index);
        lengthBytes = tagAt - off;
        return SrtpStatus.OK;
    }

    /** Forgets the salts. The keys live in the engines (see {@link OpenSslAesGcm}). */
    @Override
    public void destroy() {
        Arrays.fill(rtpSalt, (byte) 0);
        Arrays.fill(rtcpSalt, (byte) 0);
    }

    /** RFC 7714 §8.1: 00 00 | SSRC | ROC | SEQ, XOR the salt. */
    private void rtpIv(int ssrc, long index) {
        System.arraycopy(rtpSalt, 0, iv, 0, 2);
        xorInt(rtpSalt, 2, ssrc);
        xorInt(rtpSalt, 6, (int) (index >>> 16));
        iv[10] = (byte) (rtpSalt[10] ^ (index >>> 8));
        iv[11] = (byte) (rtpSalt[11] ^ index);
    }

    /** RFC 7714 §9.1: 00 00 | SSRC | 00 00 | 0 + 31-bit SRTCP index, XOR the salt. */
    private void rtcpIv(int ssrc, int index) {
        System.arraycopy(rtcpSalt, 0, iv, 0, 2);
        xorInt(rtcpSalt, 2, ssrc);
        System.arraycopy(rtcpSalt, 6, iv, 6, 2);
        xorInt(rtcpSalt, 8, index);
    }

    /** {@code iv[at, at + 4) = salt[at, at + 4) XOR value} (big-endian). */
    private void xorInt(byte[] salt, int at, int value) {
        iv[at] = (byte) (salt[at] ^ (value >>> 24));
        iv[at + 1] = (byte) (salt[at + 1] ^ (value >>> 16));
        iv[at + 2] = (byte) (salt[at + 2] ^ (value >>> 8));
        iv[at + 3] = (byte) (salt[at + 3] ^ value);
    }
}
