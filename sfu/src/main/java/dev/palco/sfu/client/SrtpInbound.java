package dev.palco.sfu.client;

import java.util.concurrent.atomic.LongAdder;

import dev.palco.rtp.srtp.SrtpReceiver;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.DemuxDropReason;

/**
 * The receive side of a client's SRTP session: decrypts SRTP and SRTCP in place (RFC 3711 §3.3,
 * §3.4) and hands the plain packets to a {@link WebRtcClient.MediaReceiver}, and holds the media
 * that arrives before the keys. Shared by {@link WebRtcClient} and the load generator's lean
 * client, which demultiplex (RFC 7983) and pass it every RTP and RTCP datagram.
 *
 * <p><b>Why the hold.</b> The server may send media the moment its side of the DTLS handshake ends
 * (after its last flight, RFC 6347 §4.2.4), a round trip before the client has processed that
 * flight and has its keys. A browser, whose one network thread handles DTLS and SRTP in arrival
 * order, loses none of it. So from {@link #beginHandshake()} until {@link #release} up to {@value
 * #EARLY_MEDIA_PACKETS} datagrams of up to {@value #EARLY_MEDIA_BYTES} bytes are copied aside, and
 * {@link #release} decrypts and delivers them, in arrival order and before any later one. Media
 * that comes before the handshake began, beyond the hold, after {@link #close()} or after {@link
 * #unsecure()} is dropped and counted as {@link DemuxDropReason#NOT_SECURED}.
 *
 * <pre>
 *   NEW --beginHandshake--> HOLDING --release(session)--> SECURED --unsecure--> (drops)
 *    |                        |                              |
 *    +------------------------+------------ close -----------+--> CLOSED (held media dropped)
 * </pre>
 *
 * <p><b>Threads.</b> {@link #deliver} runs on the receive thread (two of them during an ICE
 * restart: the receiver's lock serialises the decryption); {@link #release} on the connecting
 * thread; the others on any thread. The hold and the switch to direct delivery happen under one
 * lock, so a held packet is never overtaken. On the direct path nothing is allocated or locked
 * but the SRTP receiver.
 */
public final class SrtpInbound {
    /** Datagrams held while the handshake ends (a keyframe's worth at a few Mbit/s). */
    public static final int EARLY_MEDIA_PACKETS = 64;
    /** The largest datagram held (an Ethernet MTU). */
    public static final int EARLY_MEDIA_BYTES = 1500;

    private final DemuxCounters demuxCounters;
    private final LongAdder rtpReceived = new LongAdder();
    private final LongAdder rtcpReceived = new LongAdder();
    private final LongAdder[] unprotectFailures = new LongAdder[SrtpStatus.values().length];

    /** Guards the hold and the transitions; {@link #secured} turns true only under it. */
    private final Object lock = new Object();
    private final byte[][] early = new byte[EARLY_MEDIA_PACKETS][];
    private final int[] earlyLengths = new int[EARLY_MEDIA_PACKETS];
    private final boolean[] earlyRtcp = new boolean[EARLY_MEDIA_PACKETS];
    private final long[] earlyArrivalNanos = new long[EARLY_MEDIA_PACKETS];
    private int earlyCount;
    /** Between {@link #beginHandshake()} and {@link #release} or {@link #close()}. Under {@link #lock}. */
    private boolean holding;
    /** Set by {@link #close()}. Under {@link #lock}. */
    private boolean closed;

    private volatile boolean secured;
    private volatile SrtpSession session;
    private volatile WebRtcClient.MediaReceiver receiver;

    /**
     * @param demuxCounters where deliveries and drops are counted (the client's demux counters)
     */
    public SrtpInbound(DemuxCounters demuxCounters) {
        this.demuxCounters = demuxCounters;
        for (int i = 0; i < unprotectFailures.length; i++) {
            unprotectFailures[i] = new LongAdder();
        }
    }

    /** Replaces the receiver of decrypted packets (null: they are dropped as NO_MEDIA_RECEIVER). */
    public void setReceiver(WebRtcClient.MediaReceiver receiver) {
        this.receiver = receiver;
    }

    /** The DTLS handshake starts: media from now until {@link #release} is held. */
    public void beginHandshake() {
        synchronized (lock) {
            holding = !closed && session == null;
        }
    }

    /**
     * One SRTP or SRTCP datagram from the peer: decrypted in place and delivered, or held, or
     * dropped and counted. Never throws.
     *
     * @param rtcp whether RFC 7983 classed it as RTCP
     * @param arrivalNanos when it was read, in {@link System#nanoTime()} units
     */
    public void deliver(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
        if (!secured) {
            synchronized (lock) {
                if (!secured) {
                    hold(buf, off, len, rtcp, arrivalNanos);
                    return;
                }
            }
        }
        unprotectAndDeliver(session, buf, off, len, rtcp, arrivalNanos);
    }

    /** Under {@link #lock}. */
    private void hold(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
        if (!holding || earlyCount == EARLY_MEDIA_PACKETS || len > EARLY_MEDIA_BYTES) {
            // Before DTLS began, after the session ended (consent lost, close_notify, close), or
            // more than the hold takes. Between the keys' arrival and their release the hold goes
            // on, so that nothing overtakes what it holds.
            demuxCounters.drop(DemuxDropReason.NOT_SECURED);
            return;
        }
        int i = earlyCount++;
        if (early[i] == null) {
            early[i] = new byte[EARLY_MEDIA_BYTES];
        }
        System.arraycopy(buf, off, early[i], 0, len);
        earlyLengths[i] = len;
        earlyRtcp[i] = rtcp;
        earlyArrivalNanos[i] = arrivalNanos;
    }

    /**
     * The keys are in: decrypts and delivers what was held, in order, then lets {@link #deliver}
     * decrypt directly. Call once, after the handshake.
     *
     * @return true if now secured; false if {@link #close()} came first (nothing is delivered)
     */
    public boolean release(SrtpSession keys) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            session = keys;
            for (int i = 0; i < earlyCount; i++) {
                unprotectAndDeliver(keys, early[i], 0, earlyLengths[i], earlyRtcp[i], earlyArrivalNanos[i]);
            }
            earlyCount = 0;
            holding = false;
            secured = true;
            return true;
        }
    }

    /** The peer ended the association (close_notify, consent lost): later media is dropped. */
    public void unsecure() {
        synchronized (lock) {
            secured = false;
        }
    }

    /** The client closes: what is still held will never have keys, and is counted as dropped. Idempotent. */
    public void close() {
        synchronized (lock) {
            closed = true;
            secured = false;
            holding = false;
            for (int i = 0; i < earlyCount; i++) {
                demuxCounters.drop(DemuxDropReason.NOT_SECURED);
            }
            earlyCount = 0;
        }
    }

    /** True between {@link #release} and {@link #unsecure()} or {@link #close()}. */
    public boolean isSecured() {
        return secured;
    }

    /** @return datagrams held now, waiting for the keys */
    public int heldPackets() {
        synchronized (lock) {
            return earlyCount;
        }
    }

    /** @return RTP packets decrypted and delivered */
    public long rtpReceived() {
        return rtpReceived.sum();
    }

    /** @return RTCP packets decrypted and delivered */
    public long rtcpReceived() {
        return rtcpReceived.sum();
    }

    /** @return packets dropped because unprotect returned {@code status} */
    public long unprotectFailures(SrtpStatus status) {
        return unprotectFailures[status.ordinal()].sum();
    }

    /** @return packets dropped because unprotect failed, whatever the status */
    public long unprotectFailures() {
        long n = 0;
        for (LongAdder a : unprotectFailures) {
            n += a.sum();
        }
        return n;
    }

    private void unprotectAndDeliver(SrtpSession keys, byte[] buf, int off, int len, boolean rtcp,
            long arrivalNanos) {
        if (keys == null) {
            demuxCounters.drop(DemuxDropReason.NOT_SECURED);
            return;
        }
        SrtpReceiver srtpReceiver = keys.receiver();
        SrtpStatus status;
        int plainLen;
        // During an ICE restart two reader threads may deliver; the receiver serves one at a time.
        synchronized (srtpReceiver) {
            status = rtcp ? srtpReceiver.unprotectRtcp(buf, off, len) : srtpReceiver.unprotectRtp(buf, off, len);
            plainLen = srtpReceiver.lengthBytes();
        }
        if (status != SrtpStatus.OK) {
            unprotectFailures[status.ordinal()].increment();
            return;
        }
        WebRtcClient.MediaReceiver r = receiver;
        if (r == null) {
            demuxCounters.drop(DemuxDropReason.NO_MEDIA_RECEIVER);
            return;
        }
        // Counted before the hand-over, so that whoever has seen the packet also sees the count.
        demuxCounters.media(rtcp, plainLen);
        (rtcp ? rtcpReceived : rtpReceived).increment();
        try {
            r.onMedia(buf, off, plainLen, rtcp, arrivalNanos);
        } catch (RuntimeException e) {
            demuxCounters.drop(DemuxDropReason.MEDIA_RECEIVER_FAILED);
        }
    }
}
