package dev.palco.rtp.srtp;

/**
 * Unprotects the SRTP and SRTCP we receive, in place, with replay protection (RFC 3711 §3.3.2, a
 * 64-packet window) for both.
 *
 * <p>Stream states are per SSRC, but only <em>kept</em> once a packet for that SSRC has
 * authenticated: garbage with random SSRCs cannot fill the table and lock out real streams. One
 * spare state is made ahead and tried on every unknown SSRC until a packet authenticates with it.
 * That is sound because a state moves only on success, and the session keys do not depend on the
 * SSRC (key derivation rate 0), so a state is just an index and a replay window. Past the
 * session's bound, new SSRCs get {@link SrtpStatus#NO_CONTEXT}.
 *
 * <p>Both profiles run on our own transforms ({@link AesCmTransformer}, {@link
 * AesGcmTransformer}), which allocate nothing per packet.
 *
 * <p>On {@link SrtpStatus#OK} the plaintext is at {@code buf[off, off + lengthBytes())}. On any
 * other status the packet must be dropped; its bytes inside {@code [off, off + len)} may have been
 * changed, and nothing outside that window is ever written. Nothing here throws per packet.
 *
 * <p>Threading: one thread at a time (the transport's receive path); RTP and RTCP share the result
 * field.
 */
public final class SrtpReceiver {
    private final SrtpProfile profile;
    private final SrtpTransform transform;
    private final SsrcContextTable<SrtpStreamState> rtpStates;
    private final SsrcContextTable<SrtpStreamState> rtcpStates;
    // The spare states for unknown SSRCs (see the class comment): never yet used successfully.
    private SrtpStreamState spareRtp;
    private SrtpStreamState spareRtcp;
    private volatile boolean closed;
    private int lengthBytes;
    private int derivedContexts;

    SrtpReceiver(SrtpProfile profile, SrtpTransform transform, int maxSsrcs) {
        this.profile = profile;
        this.transform = transform;
        this.rtpStates = new SsrcContextTable<>(maxSsrcs);
        this.rtcpStates = new SsrcContextTable<>(maxSsrcs);
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
        SrtpStreamState state = rtpStates.get(ssrc);
        boolean fresh = state == null;
        if (fresh) {
            if (rtpStates.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareRtp == null) {
                spareRtp = new SrtpStreamState();
                derivedContexts++;
            }
            state = spareRtp;
        }
        SrtpStatus status = transform.unprotectRtp(buf, off, len, headerLen, state);
        if (status == SrtpStatus.OK) {
            lengthBytes = transform.lengthBytes();
            if (fresh) {
                rtpStates.put(ssrc, state);
                spareRtp = null;
            }
        }
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
        SrtpStreamState state = rtcpStates.get(ssrc);
        boolean fresh = state == null;
        if (fresh) {
            if (rtcpStates.isFull()) {
                return SrtpStatus.NO_CONTEXT;
            }
            if (spareRtcp == null) {
                spareRtcp = new SrtpStreamState();
                derivedContexts++;
            }
            state = spareRtcp;
        }
        SrtpStatus status = transform.unprotectRtcp(buf, off, len, state);
        if (status == SrtpStatus.OK) {
            lengthBytes = transform.lengthBytes();
            if (fresh) {
                rtcpStates.put(ssrc, state);
                spareRtcp = null;
            }
        }
        return status;
    }

    /** Number of RTP SSRC contexts kept so far (only authenticated SSRCs are kept). */
    public int rtpContextCount() {
        return rtpStates.size();
    }

    /** Number of RTCP SSRC contexts kept so far. */
    public int rtcpContextCount() {
        return rtcpStates.size();
    }

    /** Stream states made so far, RTP and RTCP: at most one more per kind than states kept. */
    int derivedContexts() {
        return derivedContexts;
    }

    void close() {
        closed = true;
        transform.destroy();
    }
}
