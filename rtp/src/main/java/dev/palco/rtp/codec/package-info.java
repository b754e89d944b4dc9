/**
 * Codec payload helpers: what a forwarder needs to know about the media inside an RTP payload,
 * without decoding it.
 *
 * <p>This package owns the payload formats, not the RTP header: every helper takes the RTP
 * payload as {@code (byte[] buf, int off, int len)}, already stripped of the RTP header and of RTP
 * padding, so it does not depend on the header view in {@code dev.palco.rtp}.
 *
 * <ul>
 *   <li>{@link dev.palco.rtp.codec.Vp8PayloadDescriptor}: the VP8 payload descriptor and payload
 *       header (RFC 7741), key frames and their size, and in-place picture ID / TL0PICIDX rewriting
 *       for stream switching.</li>
 *   <li>{@link dev.palco.rtp.codec.H264Payload}: single NAL unit, STAP-A and FU-A payloads
 *       (RFC 6184, packetization-mode=1), key frames and parameter sets.</li>
 *   <li>{@link dev.palco.rtp.codec.H264SpsParser}: profile, level and picture size from an SPS.</li>
 *   <li>{@link dev.palco.rtp.codec.OpusPayload}: the TOC byte and frame framing (RFC 6716 §3,
 *       RFC 7587), packet duration, DTX and in-band FEC.</li>
 *   <li>{@link dev.palco.rtp.codec.RedPayload}: redundant audio blocks (RFC 2198, Opus RED in
 *       WebRTC), in-place payload type rewriting, and stripping down to the primary encoding.</li>
 * </ul>
 *
 * <p>Helpers are reusable views that allocate nothing per packet and never throw on malformed
 * input: {@code parse} returns a {@link dev.palco.rtp.codec.PayloadDropReason} for the caller to
 * count. They hold no threads, clocks or I/O, and an instance must not be shared between threads.
 */
package dev.palco.rtp.codec;
