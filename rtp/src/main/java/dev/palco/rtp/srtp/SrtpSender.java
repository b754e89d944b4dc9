package dev.palco.rtp.srtp;

import java.security.GeneralSecurityException;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;

/**
 * Protects the RTP and RTCP we send, in place. One crypto context per SSRC is derived on first use
 * (RFC 3711 §3.2: the context is identified by SSRC), up to the session's bound.
 *
 * <p>AES128_CM_HMAC_SHA1_80 runs on our own {@link AesCmTransformer}, which allocates nothing per
 * packet; its per-SSRC context is a {@link SrtpStreamState}. AEAD_AES_128_GCM runs on jitsi-srtp,
 * whose JCA calls allocate a new IV copy per packet (see {@code docs/benchmarks.md}).
 *
 * <p>Each call works on {@code buf[off, off + len)} and appends the profile's overhead right after
 * it, so {@code buf} must have at least {@link SrtpProfile#rtpOverheadBytes()} (RTP) or {@link
 * SrtpProfile#rtcpOverheadBytes()} (RTCP) bytes after {@code off + len}. On {@link SrtpStatus#OK}
 * the protected length is {@link #lengthBytes()}. Nothing here throws per packet, and nothing
 * allocates per packet except jitsi-srtp's GCM.
 *
 * <p>Threading: one thread at a time (the transport's send path). RTP and RTCP share the result
 * field, so they must be serialised too.
 */
public final class SrtpSender {
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
    private volatile boolean closed;
    private int lengthBytes;

    /** A sender on jitsi-srtp (AEAD_AES_128_GCM). */
    SrtpSender(SrtpProfile profile, SrtpContextFactory factory, int maxSsrcs) {
        this.profile = profile;
        this.factory = factory;
        this.rtpContexts = new SsrcContextTable<>(maxSsrcs);
        this.rtcpContexts = new SsrcContextTable<>(maxSsrcs);
        this.cm = null;
        this.cmRtpStates = null;
        this.cmRtcpStates = null;
    }

    /** A sender on our AES-CM transform (AES128_CM_HMAC_SHA1_80). */
    SrtpSender(SrtpProfile profile, AesCmTransformer cm, int maxSsrcs) {
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

    /** Encrypts and authenticates an RTP packet (RFC 3711 §3.1, RFC 7714 §7). */
    public SrtpStatus protectRtp(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpStatus.NO_CONTEXT;
        }
        if (!SrtpPacketChecks.isValidWindow(buf, off, len)) {
            return SrtpStatus.MALFORMED;
        }
        if (len < SrtpPacketChecks.RTP_FIXED_HEADER_SIZE_BYTES) {
            return SrtpStatus.TOO_SHORT;
        }
        int headerLen = SrtpPacketChecks.rtpHeaderLengthBytes(buf, off, len);
        if (headerLen < 0) {
            return SrtpStatus.MALFORMED;
        }
        if (buf.length - off - len < profile.rtpOverheadBytes()) {
            return SrtpStatus.NO_TAILROOM;
        }
        int ssrc = SrtpPacketChecks.rtpSsrc(buf, off);
        if (cm != null) {
            SrtpStreamState state = cmRtpStates.get(ssrc);
            if (state == null) {
                if (cmRtpStates.isFull()) {
                    return SrtpStatus.NO_CONTEXT;
                }
                state = new SrtpStreamState();
                cmRtpStates.put(ssrc, state);
            }
            return finishCm(cm.protectRtp(buf, off, len, headerLen, state));
        }
        SrtpCryptoContext context = rtpContexts.get(ssrc);
        if (context == null) {
            if (rtpContexts.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            try {
                context = factory.deriveContext(ssrc, 0);
            } catch (GeneralSecurityException | RuntimeException e) {
                return SrtpStatus.CRYPTO_FAIL;
            }
            rtpContexts.put(ssrc, context);
        }
        view.wrap(buf, off, len);
        try {
            return finish(context.transformPacket(view));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        } catch (RuntimeException e) {
            return SrtpStatus.MALFORMED;
        } finally {
            view.clear();
        }
    }

    /** Encrypts and authenticates a (compound) RTCP packet, appending the SRTCP index (§3.4). */
    public SrtpStatus protectRtcp(byte[] buf, int off, int len) {
        if (closed) {
            return SrtpStatus.NO_CONTEXT;
        }
        if (!SrtpPacketChecks.isValidWindow(buf, off, len)) {
            return SrtpStatus.MALFORMED;
        }
        if (len < SrtpPacketChecks.RTCP_HEADER_SIZE_BYTES) {
            return SrtpStatus.TOO_SHORT;
        }
        if (!SrtpPacketChecks.isRtcpVersion2(buf, off)) {
            return SrtpStatus.MALFORMED;
        }
        if (buf.length - off - len < profile.rtcpOverheadBytes()) {
            return SrtpStatus.NO_TAILROOM;
        }
        int ssrc = SrtpPacketChecks.rtcpSenderSsrc(buf, off);
        if (cm != null) {
            SrtpStreamState state = cmRtcpStates.get(ssrc);
            if (state == null) {
                if (cmRtcpStates.isFull()) {
                    return SrtpStatus.NO_CONTEXT;
                }
                state = new SrtpStreamState();
                cmRtcpStates.put(ssrc, state);
            }
            return finishCm(cm.protectRtcp(buf, off, len, state));
        }
        SrtcpCryptoContext context = rtcpContexts.get(ssrc);
        if (context == null) {
            if (rtcpContexts.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            try {
                context = factory.deriveControlContext(ssrc);
            } catch (GeneralSecurityException | RuntimeException e) {
                return SrtpStatus.CRYPTO_FAIL;
            }
            rtcpContexts.put(ssrc, context);
        }
        view.wrap(buf, off, len);
        try {
            return finish(context.transformPacket(view));
        } catch (GeneralSecurityException e) {
            return SrtpStatus.CRYPTO_FAIL;
        } catch (RuntimeException e) {
            return SrtpStatus.MALFORMED;
        } finally {
            view.clear();
        }
    }

    private SrtpStatus finish(SrtpErrorStatus status) {
        SrtpStatus mapped = SrtpReceiver.map(status);
        if (mapped == SrtpStatus.OK) {
            lengthBytes = view.getLength();
        }
        return mapped;
    }

    private SrtpStatus finishCm(SrtpStatus status) {
        if (status == SrtpStatus.OK) {
            lengthBytes = cm.lengthBytes();
        }
        return status;
    }

    /** Number of RTP SSRC contexts created so far. */
    public int rtpContextCount() {
        return cm != null ? cmRtpStates.size() : rtpContexts.size();
    }

    void close() {
        closed = true;
        if (cm != null) {
            cm.destroy();
        }
    }
}
