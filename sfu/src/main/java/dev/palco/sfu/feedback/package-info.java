/**
 * Loss repair and feedback toward publishers: the {@link dev.palco.sfu.feedback.PacketCache} of
 * recent packets that answers NACKs, the {@link dev.palco.sfu.feedback.NackGenerator} that decides
 * which lost packets to request and when (RFC 4585 §6.2.1), the
 * {@link dev.palco.sfu.feedback.DuplicateFilter} that drops packets seen twice, and the
 * {@link dev.palco.sfu.feedback.KeyframeRequester} that folds many subscribers' keyframe requests
 * into one PLI or FIR (RFC 4585 §6.3.1, RFC 5104 §4.3.1). The
 * {@link dev.palco.sfu.feedback.RetransmissionLimiter} bounds what a subscriber's NACKs can draw
 * from the cache, so that loss on a congested path does not become a repair storm: a packet is
 * retransmitted at most once per RTT (its times in the stream's
 * {@link dev.palco.sfu.feedback.RecentRetransmissions}), and the subscriber's retransmissions over
 * the last second stay within a share of its bandwidth estimate.
 *
 * <p>Pure logic over sequence numbers, times from an injected clock and caller-owned buffers: no
 * sockets, no threads, no RTCP encoding (the caller builds the packets), no allocation per packet.
 */
package dev.palco.sfu.feedback;
