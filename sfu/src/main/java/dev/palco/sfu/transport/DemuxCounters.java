package dev.palco.sfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the RFC 7983 demux of one secured transport: media and DTLS datagrams passed on, and
 * drops by {@link DemuxDropReason}. {@link LongAdder}s, because the shared receive thread counts
 * while others read. The update methods are for the transports (server and client) that own them.
 */
public final class DemuxCounters {
    private final LongAdder rtpPackets = new LongAdder();
    private final LongAdder rtcpPackets = new LongAdder();
    private final LongAdder mediaBytes = new LongAdder();
    private final LongAdder dtlsDatagrams = new LongAdder();
    private final LongAdder[] drops = new LongAdder[DemuxDropReason.values().length];

    /** Creates zeroed counters. */
    public DemuxCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    /** Counts one RTP or RTCP datagram handed to the media receiver (even if the receiver then throws). */
    public void media(boolean rtcp, int lengthBytes) {
        (rtcp ? rtcpPackets : rtpPackets).increment();
        mediaBytes.add(lengthBytes);
    }

    /** Counts one DTLS datagram queued for the DTLS thread. */
    public void dtls() {
        dtlsDatagrams.increment();
    }

    /** Counts one drop. */
    public void drop(DemuxDropReason reason) {
        drops[reason.ordinal()].increment();
    }

    /** @return RTP datagrams passed on */
    public long rtpPackets() {
        return rtpPackets.sum();
    }

    /** @return RTCP datagrams passed on */
    public long rtcpPackets() {
        return rtcpPackets.sum();
    }

    /** @return bytes of RTP and RTCP passed on */
    public long mediaBytes() {
        return mediaBytes.sum();
    }

    /** @return DTLS datagrams queued for the DTLS thread */
    public long dtlsDatagrams() {
        return dtlsDatagrams.sum();
    }

    /** @return datagrams dropped for {@code reason} */
    public long dropped(DemuxDropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    /** @return all drops */
    public long droppedTotal() {
        long n = 0;
        for (LongAdder d : drops) {
            n += d.sum();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DemuxCounters[rtp=").append(rtpPackets())
                .append(", rtcp=").append(rtcpPackets())
                .append(", dtls=").append(dtlsDatagrams());
        for (DemuxDropReason r : DemuxDropReason.values()) {
            long n = dropped(r);
            if (n != 0) {
                sb.append(", drop.").append(r).append('=').append(n);
            }
        }
        return sb.append(']').toString();
    }
}
