/**
 * RTCP: compound packets (RFC 3550 §6.1) and every packet type Palco reads or writes.
 *
 * <p>This package owns the wire formats of sender and receiver reports with their report blocks,
 * SDES and BYE (RFC 3550 §6.4 to §6.6), generic NACK (RFC 4585 §6.2.1), picture loss indication
 * (RFC 4585 §6.3.1), full intra request (RFC 5104 §4.3.1), REMB (draft-alvestrand-rmcat-remb-03)
 * and transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01).
 * It does not own what to send or when: report scheduling, NACK generation and bandwidth
 * estimation live in the SFU.
 *
 * <p>Every packet is a view {@code (byte[] buf, int off, int len)}. {@link
 * dev.palco.rtp.rtcp.RtcpCompoundIterator} validates a compound and yields each packet's offset,
 * length, type and count; each type then has a {@code *Parser} (static accessors after one
 * {@code validate}, or a reusable cursor where the type has variable-length contents) and a
 * {@code *Encoder} that writes into a caller buffer and returns the length written. Malformed
 * input never throws: parsers return a {@link dev.palco.rtp.rtcp.RtcpDropReason}. Nothing here
 * allocates per packet.
 */
package dev.palco.rtp.rtcp;
