package dev.palco.rtp.srtp;

/**
 * Protects the RTP and RTCP we send, in place. One stream state per SSRC is created on first use
 * (RFC 3711 §3.2: the context is identified by SSRC), up to the session's bound.
 *
 * <p>Both profiles run on our own transforms ({@link AesCmTransformer}, {@link
 * AesGcmTransformer}), which allocate nothing per packet.
 *
 * <p>Each call works on {@code buf[off, off + len)} and appends the profile's overhead right after
 * it, so {@code buf} must have at least {@link SrtpProfile#rtpOverheadBytes()} (RTP) or {@link
 * SrtpProfile#rtcpOverheadBytes()} (RTCP) bytes after {@code off + len}. On {@link SrtpStatus#OK}
 * the protected length is {@link #lengthBytes()}. Nothing here throws per packet.
 *
 * <p>Threading: one thread at a time (the transport's send path). RTP and RTCP share the result
 * field, so they must be serialised too.
 */
public final class SrtpSender {
    private final SrtpProfile profile;
    private final SrtpTransform transform;
    private final SsrcContextTable<SrtpStreamState> rtpStates;
    private final SsrcContextTable<SrtpStreamState> rtcpStates;
    private volatile boolean closed;
    private int lengthBytes;

    SrtpSender(SrtpProfile profile, SrtpTransform transform, int maxSsrcs) {
        this.profile = profile;
        this.transform = transform;
        this.rtpStates = new SsrcContextTable<>(maxSsrcs);
        this.rtcpStates = new SsrcContextTable<>(maxSsrcs);
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
        SrtpStreamState state = stateFor(rtpStates, SrtpPacketChecks.rtpSsrc(buf, off));
        if (state == null) {
            return SrtpStatus.NO_CONTEXT;
        }
        return finish(transform.protectRtp(buf, off, len, headerLen, state));
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
        SrtpStreamState state = stateFor(rtcpStates, SrtpPacketChecks.rtcpSenderSsrc(buf, off));
        if (state == null) {
            return SrtpStatus.NO_CONTEXT;
        }
        return finish(transform.protectRtcp(buf, off, len, state));
    }

    /** The SSRC's state, created on first use; null once the table is full. */
    private static SrtpStreamState stateFor(SsrcContextTable<SrtpStreamState> table, int ssrc) {
        SrtpStreamState state = table.get(ssrc);
        if (state == null && !table.isFull()) {
            state = new SrtpStreamState();
            table.put(ssrc, state);
        }
        return state;
    }

    private SrtpStatus finish(SrtpStatus status) {
        if (status == SrtpStatus.OK) {
            lengthBytes = transform.lengthBytes();
        }
        return status;
    }

    /** Number of RTP SSRC contexts created so far. */
    public int rtpContextCount() {
        return rtpStates.size();
    }

    void close() {
        closed = true;
        transform.destroy();
    }
}
