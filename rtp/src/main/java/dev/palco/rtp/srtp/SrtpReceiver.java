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
 * <p>AES128_CM_HMAC_SHA1_80 runs on our own {@link AesCmTransformer} with a {@link
 * SrtpStreamState} per SSRC, which moves only on success in the same way, so the spare scheme
 * applies unchanged (there a "derivation" is just a new state object: the session keys do not
 * depend on the SSRC). AEAD_AES_128_GCM runs on jitsi-srtp.
 *
 * <p>On {@link SrtpStatus#OK} the plaintext is at {@code buf[off, off + lengthBytes())}. On any
 * other status the packet must be dropped; its bytes inside {@code [off, off + len)} may have been
 * changed, and nothing outside that window is ever written. Nothing here throws per packet, and
 * nothing allocates per packet except jitsi-srtp's GCM.
 *
 * <p>Threading: one thread at a time (the transport's receive path); RTP and RTCP share the result
 * field.
 */
public final class SrtpReceiver {
    private final SrtpProfile profile;
    // GCM: jitsi-srtp contexts. Null for CM.
    private final SrtpContextFactory factory;
    private final SsrcContextTable<SrtpCryptoContext> rtpContexts;
    private final SsrcContextTable<SrtcpCryptoContext> rtcpContexts;
    private final MutableByteArrayBuffer view = new MutableByteArrayBuffer();
    // CM: our transform and per-SSRC states. Null for GCM.
    private final AesCmTransformer cm;
    private final SsrcContextTable<SrtpStreamState> cmRtpStates;
    private final SsrcContextTable<SrtpStreamState> cmRtcpStates;
    private SrtpStreamState spareCmRtp;
    private SrtpStreamState spareCmRtcp;
    private volatile boolean closed;
    private int lengthBytes;
    private long unexpectedExceptions;
    private int derivedContexts;

    // The spare contexts for unknown SSRCs (see the class comment): never yet used successfully.
    private SrtpCryptoContext spareRtp;
    private SrtcpCryptoContext spareRtcp;

    /** A receiver on jitsi-srtp (AEAD_AES_128_GCM). */
    SrtpReceiver(SrtpProfile profile, SrtpContextFactory factory, int maxSsrcs) {
        this.profile = profile;
        this.factory = factory;
        this.rtpContexts = new SsrcContextTable<>(maxSsrcs);
        this.rtcpContexts = new SsrcContextTable<>(maxSsrcs);
        this.cm = null;
        this.cmRtpStates = null;
        this.cmRtcpStates = null;
    }

    /** A receiver on our AES-CM transform (AES128_CM_HMAC_SHA1_80). */
    SrtpReceiver(SrtpProfile profile, AesCmTransformer cm, int maxSsrcs) {
        this.profile = profile;
        this.factory = null;
        this.rtpContexts = null;
        this.rtcpContexts = null;
        this.cm = cm;
        this.cmRtpStates = new SsrcContextTable<>(maxSsrcs);
        this.cmRtcpStates = new SsrcContextTable<>(maxSsrcs);
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
        if (cm != null) {
            return unprotectRtpCm(buf, off, len, headerLen, ssrc);
        }
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
        if (cm != null) {
            return unprotectRtcpCm(buf, off, len, ssrc);
        }
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

    private SrtpStatus unprotectRtpCm(byte[] buf, int off, int len, int headerLen, int ssrc) {
        SrtpStreamState state = cmRtpStates.get(ssrc);
        boolean fresh = false;
        if (state == null) {
            if (cmRtpStates.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareCmRtp == null) {
                spareCmRtp = new SrtpStreamState();
                derivedContexts++;
            }
            state = spareCmRtp;
            fresh = true;
        }
        SrtpStatus status = cm.unprotectRtp(buf, off, len, headerLen, state);
        if (status == SrtpStatus.OK) {
            lengthBytes = cm.lengthBytes();
            if (fresh) {
                cmRtpStates.put(ssrc, state);
                spareCmRtp = null;
            }
        }
        return status;
    }

    private SrtpStatus unprotectRtcpCm(byte[] buf, int off, int len, int ssrc) {
        SrtpStreamState state = cmRtcpStates.get(ssrc);
        boolean fresh = false;
        if (state == null) {
            if (cmRtcpStates.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareCmRtcp == null) {
                spareCmRtcp = new SrtpStreamState();
                derivedContexts++;
            }
            state = spareCmRtcp;
            fresh = true;
        }
        SrtpStatus status = cm.unprotectRtcp(buf, off, len, state);
        if (status == SrtpStatus.OK) {
            lengthBytes = cm.lengthBytes();
            if (fresh) {
                cmRtcpStates.put(ssrc, state);
                spareCmRtcp = null;
            }
        }
        return status;
    }

    /** Number of RTP SSRC contexts kept so far (only authenticated SSRCs are kept). */
    public int rtpContextCount() {
        return cm != null ? cmRtpStates.size() : rtpContexts.size();
    }

    /** Number of RTCP SSRC contexts kept so far. */
    public int rtcpContextCount() {
        return cm != null ? cmRtcpStates.size() : rtcpContexts.size();
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
        if (cm != null) {
            cm.destroy();
        }
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
