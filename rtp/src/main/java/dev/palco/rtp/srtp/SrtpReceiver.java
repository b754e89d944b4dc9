package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * Unprotects the SRTP and SRTCP we receive, in place, with replay protection (RFC 3711 §3.3.2, a
 * 64-packet window) for both.
 *
 * <p>Contexts are per SSRC and derived lazily, but only <em>kept</em> once a packet for that SSRC
 * has authenticated: garbage with random SSRCs cannot fill the table and lock out real streams.
 * Nor can it make us derive keys per packet (a derivation costs far more than a packet): one spare
 * context is derived ahead and tried on every unknown SSRC until a packet authenticates with it.
 * That is sound because a jitsi-srtp receive context is untouched by a packet that fails (ROC,
 * highest sequence number and replay window move only on success) and takes the SSRC for its IV
 * from the packet, not from the context; the SSRC it was derived with only appears in its debug
 * logs. So a session derives at most one context more than it keeps. Past the session's bound,
 * new SSRCs get {@link SrtpStatus#NO_CONTEXT} without any derivation.
 *
 * <p>On {@link SrtpStatus#OK} the plaintext is at {@code buf[off, off + lengthBytes())}. On any
 * other status the packet must be dropped; its bytes inside {@code [off, off + len)} may have been
 * changed, and nothing outside that window is ever written. Nothing here throws or allocates per
 * packet.
 *
 * <p>Threading: one thread at a time (the transport's receive path); RTP and RTCP share the result
 * field.
 */
public final class SrtpReceiver {
    private final SrtpProfile profile;
    private final SrtpContextFactory factory;
    private final SsrcContextTable<SrtpCryptoContext> rtpContexts;
    private final SsrcContextTable<SrtcpCryptoContext> rtcpContexts;
    private final MutableByteArrayBuffer view = new MutableByteArrayBuffer();
    private volatile boolean closed;
    private int lengthBytes;
    private long unexpectedExceptions;
    private int derivedContexts;

    // The spare contexts for unknown SSRCs (see the class comment): never yet used successfully.
    private SrtpCryptoContext spareRtp;
    private SrtcpCryptoContext spareRtcp;

    SrtpReceiver(SrtpProfile profile, SrtpContextFactory factory, int maxSsrcs) {
        this.profile = profile;
        this.factory = factory;
        this.rtpContexts = new SsrcContextTable<>(maxSsrcs);
        this.rtcpContexts = new SsrcContextTable<>(maxSsrcs);
    }

    /** Length of the packet produced by the last call that returned {@link SrtpStatus#OK}. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** Verifies, replay-checks and decrypts an SRTP packet. */
    public SrtpStatus unprotectRtp(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpStatus.NO_CONTEXT;
        }
        if (!SrtpPacketChecks.isValidWindow(buf, off, len)) {
            return SrtpStatus.MALFORMED;
        }
        int tagLen = profile.authTagLengthBytes();
        if (len < SrtpPacketChecks.RTP_FIXED_HEADER_SIZE_BYTES + tagLen) {
            return SrtpStatus.TOO_SHORT;
        }
        int headerLen = SrtpPacketChecks.rtpHeaderLengthBytes(buf, off, len);
        if (headerLen < 0 || headerLen > len - tagLen) {
            return SrtpStatus.MALFORMED;
        }
        int ssrc = SrtpPacketChecks.rtpSsrc(buf, off);
        SrtpCryptoContext context = rtpContexts.get(ssrc);
        boolean fresh = false;
        if (context == null) {
            if (rtpContexts.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareRtp == null) {
                try {
                    spareRtp = factory.deriveContext(ssrc, 0);
                    derivedContexts++;
                } catch (GeneralSecurityException | RuntimeException e) {
                    return SrtpStatus.CRYPTO_FAIL;
                }
            }
            context = spareRtp;
            fresh = true;
        }
        view.wrap(buf, off, len);
        SrtpStatus status;
        try {
            status = map(context.reverseTransformPacket(view, false));
        } catch (GeneralSecurityException e) {
            status = SrtpStatus.CRYPTO_FAIL;
        } catch (RuntimeException e) {
            // Our checks should keep every malformed packet away from jitsi-srtp; count misses.
            unexpectedExceptions++;
            status = SrtpStatus.MALFORMED;
        }
        if (status == SrtpStatus.OK) {
            lengthBytes = view.getLength();
            if (fresh) {
                rtpContexts.put(ssrc, context);
                spareRtp = null;
            }
        }
        view.clear();
        return status;
    }

    /** Verifies, replay-checks and decrypts an SRTCP packet (RFC 3711 §3.4, RFC 7714 §9). */
    public SrtpStatus unprotectRtcp(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpStatus.NO_CONTEXT;
        }
        if (!SrtpPacketChecks.isValidWindow(buf, off, len)) {
            return SrtpStatus.MALFORMED;
        }
        if (len < SrtpPacketChecks.RTCP_HEADER_SIZE_BYTES + profile.rtcpOverheadBytes()) {
            return SrtpStatus.TOO_SHORT;
        }
        if (!SrtpPacketChecks.isRtcpVersion2(buf, off)) {
            return SrtpStatus.MALFORMED;
        }
        int ssrc = SrtpPacketChecks.rtcpSenderSsrc(buf, off);
        SrtcpCryptoContext context = rtcpContexts.get(ssrc);
        boolean fresh = false;
        if (context == null) {
            if (rtcpContexts.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareRtcp == null) {
                try {
                    spareRtcp = factory.deriveControlContext(ssrc);
                    derivedContexts++;
                } catch (GeneralSecurityException | RuntimeException e) {
                    return SrtpStatus.CRYPTO_FAIL;
                }
            }
            context = spareRtcp;
            fresh = true;
        }
        view.wrap(buf, off, len);
        SrtpStatus status;
        try {
            status = map(context.reverseTransformPacket(view));
        } catch (GeneralSecurityException e) {
            status = SrtpStatus.CRYPTO_FAIL;
        } catch (RuntimeException e) {
            // Our checks should keep every malformed packet away from jitsi-srtp; count misses.
            unexpectedExceptions++;
            status = SrtpStatus.MALFORMED;
        }
        if (status == SrtpStatus.OK) {
            lengthBytes = view.getLength();
            if (fresh) {
                rtcpContexts.put(ssrc, context);
                spareRtcp = null;
            }
        }
        view.clear();
        return status;
    }

    /** Number of RTP SSRC contexts kept so far (only authenticated SSRCs are kept). */
    public int rtpContextCount() {
        return rtpContexts.size();
    }

    /** Number of RTCP SSRC contexts kept so far. */
    public int rtcpContextCount() {
        return rtcpContexts.size();
    }

    /** Key derivations so far, RTP and RTCP: at most one more per kind than contexts kept. */
    int derivedContexts() {
        return derivedContexts;
    }

    /** Packets on which jitsi-srtp threw despite our checks (mapped to MALFORMED); expected 0. */
    long unexpectedExceptions() {
        return unexpectedExceptions;
    }

    void close() {
        closed = true;
    }

    static SrtpStatus map(SrtpErrorStatus status) {
        switch (status) {
            case OK:
                return SrtpStatus.OK;
            case AUTH_FAIL:
                return SrtpStatus.AUTH_FAIL;
            case REPLAY_FAIL:
            case REPLAY_OLD:
                return SrtpStatus.REPLAY_FAIL;
            case INVALID_PACKET:
                return SrtpStatus.MALFORMED;
            case FAIL:
            default:
                return SrtpStatus.CRYPTO_FAIL;
        }
    }
}
