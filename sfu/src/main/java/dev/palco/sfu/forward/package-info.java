/**
 * Forwarding logic from a publisher's streams to one subscriber: {@link dev.palco.sfu.forward.RtpRewriter}
 * maps each forwarded packet's SSRC, sequence number, timestamp and VP8 picture IDs onto one continuous
 * outgoing stream, so that switching the source (another publisher or simulcast layer), pausing and
 * dropping packets on purpose never shows the subscriber a gap or a jump; and it maps the subscriber's
 * NACKed sequence numbers back to the original packets.
 *
 * <p>Pure logic over primitive header values: no sockets, no threads, no packet parsing and no
 * allocation per packet. The caller reads the header fields, asks the rewriter, and writes the
 * results back into its own buffer.
 */
package dev.palco.sfu.forward;
