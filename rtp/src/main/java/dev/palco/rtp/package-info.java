/**
 * The RTP core: the packet view ({@link dev.palco.rtp.RtpPacket}, RFC 3550), RFC 8285 header
 * extensions ({@link dev.palco.rtp.RtpHeaderExtensions}, {@link dev.palco.rtp.HeaderExtensionCursor}
 * and one small class per extension we use), and wrap-aware sequence-number and timestamp
 * arithmetic ({@link dev.palco.rtp.RtpSequence}, {@link dev.palco.rtp.RtpTimestamp},
 * {@link dev.palco.rtp.SequenceUnwrapper}, {@link dev.palco.rtp.TimestampUnwrapper}).
 *
 * <p>Everything here works on caller-owned {@code (byte[] buf, int off, int len)} views, in place,
 * without allocating, and without threads, sockets or clocks. Malformed packets are reported as
 * an {@link dev.palco.rtp.RtpDropReason} or a -1 result, never as an exception. RTCP, SRTP/DTLS,
 * STUN and codec payloads live in the sub-packages {@code rtcp}, {@code srtp}, {@code dtls},
 * {@code stun} and {@code codec}; classification of the shared port lives in {@code demux}.
 */
package dev.palco.rtp;
