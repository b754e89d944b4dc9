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
 * <p>Each call works on {@code buf[off, off + len)} and appends the profile's overhead right after
 * it, so {@code buf} must have at least {@link SrtpProfile#rtpOverheadBytes()} (RTP) or {@link
 * SrtpProfile#rtcpOverheadBytes()} (RTCP) bytes after {@code off + len}. On {@link SrtpStatus#OK}
 * the protected length is {@link #lengthBytes()}. Nothing here throws or allocates per packet.
 *
 * <p>Threading: one thread at a time (the transport's send path). RTP and RTCP share the result
 * field, so they must be serialised too.
 */
public final class SrtpSender {
    private final SrtpProfile profile;
    private final SrtpContextFactory factory;
    private final SsrcContextTable<SrtpCryptoContext> rtpContexts;
    private final SsrcContextTable<SrtcpCryptoContext> rtcpContexts;
    private final MutableByteArrayBuffer view = new MutableByteArrayBuffer();
    private volatile boolean closed;
    private int lengthBytes;

    SrtpSender(SrtpProfile profile, SrtpContextFactory factory, int maxSsrcs) {
        this.profile = profile;
        this.factory = factory;
        this.rtpContexts = new SsrcContextTable<>(maxSsrcs);
        this.rtcpContexts = new SsrcContextTable<>(maxSsrcs);
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
        if (SrtpPacketChecks.rtpHeaderLengthBytes(buf, off, len) < 0) {
            return SrtpStatus.MALFORMED;
        }
        if (buf.length - off - len < profile.rtpOverheadBytes()) {
            return SrtpStatus.NO_TAILROOM;
        }
        int ssrc = SrtpPacketChecks.rtpSsrc(buf, off);
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

    /** Number of RTP SSRC contexts created so far. */
    public int rtpContextCount() {
        return rtpContexts.size();
    }

    void close() {
        closed = true;
    }
}
