/**
 * Demultiplexing of the single UDP port that STUN, DTLS, SRTP and SRTCP share:
 * {@link dev.palco.rtp.demux.PacketClassifier} tells each datagram's protocol by its first bytes
 * (RFC 7983 §7 as updated by RFC 9443 §3, and RFC 5761 §4 for RTP versus RTCP) and returns a
 * {@link dev.palco.rtp.demux.PacketKind}. Classification only: no parsing, no state, no I/O.
 */
package dev.palco.rtp.demux;
