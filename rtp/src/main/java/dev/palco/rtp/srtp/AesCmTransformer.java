package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * SRTP and SRTCP with AES128_CM_HMAC_SHA1_80 (RFC 3711 §3-4, RFC 5764 §4.1.2) for one direction of
 * one session: the session keys derived once from one master key and salt, one AES cipher and one
 * HMAC for every SSRC of the direction, and the in-place transforms. Nothing here allocates or
 * throws per packet.
 *
 * <pre>
 * SRTP (RFC 3711 §3.1):                         SRTCP (RFC 3711 §3.4):
 * +------------------------------+ -+           +------------------------------+ -+
 * | RTP header (CSRCs, extension)|  |           | V=2|P|RC | PT | length       |  |
 * +------------------------------+  |           | SSRC of sender               |  |
 * | payload       (encrypted)    |  | auth      +------------------------------+  | auth
 * +------------------------------+ -+           | rest of the compound (enc.)  |  |
 * | auth tag (80 bits)           |              +------------------------------+  |
 * +------------------------------+              |E| SRTCP index (31 bits)       |  |
 * auth covers header || payload || ROC          +------------------------------+ -+
 *                                               | auth tag (80 bits)           |
 *                                               +------------------------------+
 * </pre>
 *
 * <p>Not thread-safe: one thread at a time, like the sender or receiver that owns it.
 */
final class AesCmTransformer implements SrtpTransform {
    /** RFC 3711 §5.2 / RFC 5764 §4.1.2: HMAC-SHA1 truncated to 80 bits. */
    static final int TAG_SIZE_BYTES = 10;
    private static final int SESSION_KEY_SIZE_BYTES = 16;
    private static final int SRTCP_HEADER_SIZE_BYTES = SrtpPacketChecks.RTCP_HEADER_SIZE_BYTES;
    private static final int SRTCP_INDEX_SIZE_BYTES = SrtpProfile.SRTCP_INDEX_SIZE_BYTES;
    private static final int SRTCP_E_FLAG = 0x8000_0000;

    private final AesCmKeystreamGenerator rtpKeystream;
    private final HmacSha1Authenticator rtpAuth;
    private final AesCmKeystreamGenerator rtcpKeystream;
    private final HmacSha1Authenticator rtcpAuth;
    private int lengthBytes;

    /**
     * Derives the six session keys of RFC 3711 §4.3 (labels 0-5) from a master key and salt.
     *
     * @param masterKey the 128-bit master key (not kept)
     * @param masterSalt the 112-bit master salt (not kept)
     */
    AesCmTransformer(byte[] masterKey, byte[] masterSalt) {
        byte[] ke = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, SESSION_KEY_SIZE_BYTES);
        byte[] ka = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_AUTH, HmacSha1Authenticator.KEY_SIZE_BYTES);
        byte[] ks = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_SALT, AesCmKeystreamGenerator.SALT_SIZE_BYTES);
        byte[] kce = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, SESSION_KEY_SIZE_BYTES);
        byte[] kca = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_AUTH, HmacSha1Authenticator.KEY_SIZE_BYTES);
        byte[] kcs = SrtpKeyDerivation.deriveSessionKey(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_SALT, AesCmKeystreamGenerator.SALT_SIZE_BYTES);
        try {
            rtpKeystream = new AesCmKeystreamGenerator(ke, ks);
            rtpAuth = new HmacSha1Authenticator(ka);
            rtcpKeystream = new AesCmKeystreamGenerator(kce, kcs);
            rtcpAuth = new HmacSha1Authenticator(kca);
        } finally {
            for (byte[] k : new byte[][] {ke, ka, ks, kce, kca, kcs}) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    @Override
    public int lengthBytes() {
        return lengthBytes;
    }

    /**
     * Encrypts the payload and appends the tag (RFC 3711 §3.3). The caller has checked that {@code
     * headerLen <= len} and that {@link #TAG_SIZE_BYTES} bytes follow the packet.
     */
    @Override
    public SrtpStatus protectRtp(byte[] buf, int off, int len, int headerLen,
            SrtpStreamState state) {
        long index = state.estimateSendIndex(SrtpPacketChecks.rtpSequenceNumber(buf, off));
        try {
            rtpKeystream.xor(buf, off + headerLen, len - headerLen,
                    SrtpPacketChecks.rtpSsrc(buf, off), index);
            rtpAuth.computeRtp(buf, off, len, (int) (index >>> 16));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        rtpAuth.writeTag(buf, off + len, TAG_SIZE_BYTES);
        state.recordSent(index);
        lengthBytes = len + TAG_SIZE_BYTES;
        return SrtpStatus.OK;
    }

    /**
     * Estimates the index, checks replay, verifies the tag and only then decrypts and moves the
     * stream state (RFC 3711 §3.3: steps 2-6). The caller has checked that {@code headerLen <= len
     * - TAG_SIZE_BYTES}. On failure the packet bytes are unchanged.
     */
    @Override
    public SrtpStatus unprotectRtp(byte[] buf, int off, int len, int headerLen,
            SrtpStreamState state) {
        long index = state.estimateRtpIndex(SrtpPacketChecks.rtpSequenceNumber(buf, off));
        if (state.isReplayed(index)) {
            return SrtpStatus.REPLAY_FAIL;
        }
        int authLen = len - TAG_SIZE_BYTES;
        try {
            rtpAuth.computeRtp(buf, off, authLen, (int) (index >>> 16));
            if (!rtpAuth.tagMatches(buf, off + authLen, TAG_SIZE_BYTES)) {
                return SrtpStatus.AUTH_FAIL;
            }
            rtpKeystream.xor(buf, off + headerLen, authLen - headerLen,
                    SrtpPacketChecks.rtpSsrc(buf, off), index);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        state.acceptReceived(index);
        lengthBytes = authLen;
        return SrtpStatus.OK;
    }

    /**
     * Encrypts everything after the first 8 bytes, appends E=1 with the next SRTCP index, then the
     * tag over all of that (RFC 3711 §3.4). The caller has checked {@code len >= 8} and the
     * tailroom of {@link SrtpProfile#rtcpOverheadBytes()}.
     */
    @Override
    public SrtpStatus protectRtcp(byte[] buf, int off, int len, SrtpStreamState state) {
        int index = state.takeSrtcpIndex();
        try {
            rtcpKeystream.xor(buf, off + SRTCP_HEADER_SIZE_BYTES, len - SRTCP_HEADER_SIZE_BYTES,
                    SrtpPacketChecks.rtcpSenderSsrc(buf, off), index);
            SrtpPacketChecks.writeInt(buf, off + len, SRTCP_E_FLAG | index);
            rtcpAuth.computeRtcp(buf, off, len + SRTCP_INDEX_SIZE_BYTES);
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        rtcpAuth.writeTag(buf, off + len + SRTCP_INDEX_SIZE_BYTES, TAG_SIZE_BYTES);
        lengthBytes = len + SRTCP_INDEX_SIZE_BYTES + TAG_SIZE_BYTES;
        return SrtpStatus.OK;
    }

    /**
     * Replay-checks the SRTCP index, verifies the tag, and decrypts if the E flag says the sender
     * encrypted (RFC 3711 §3.4). The caller has checked {@code len >= 8 + 4 + 10}.
     */
    @Override
    public SrtpStatus unprotectRtcp(byte[] buf, int off, int len, SrtpStreamState state) {
        int tagAt = off + len - TAG_SIZE_BYTES;
        int indexAt = tagAt - SRTCP_INDEX_SIZE_BYTES;
        int word = SrtpPacketChecks.readInt(buf, indexAt);
        int index = word & ~SRTCP_E_FLAG;
        if (state.isReplayed(index)) {
            return SrtpStatus.REPLAY_FAIL;
        }
        try {
            rtcpAuth.computeRtcp(buf, off, len - TAG_SIZE_BYTES);
            if (!rtcpAuth.tagMatches(buf, tagAt, TAG_SIZE_BYTES)) {
                return SrtpStatus.AUTH_FAIL;
            }
            if ((word & SRTCP_E_FLAG) != 0) {
                rtcpKeystream.xor(buf, off + SRTCP_HEADER_SIZE_BYTES,
                        indexAt - off - SRTCP_HEADER_SIZE_BYTES,
                        SrtpPacketChecks.rtcpSenderSsrc(buf, off), index);
            }
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        }
        state.acceptReceived(index);
        lengthBytes = indexAt - off;
        return SrtpStatus.OK;
    }

    @Override
    public void destroy() {
        rtpKeystream.destroy();
        rtpAuth.destroy();
        rtcpKeystream.destroy();
        rtcpAuth.destroy();
    }
}
