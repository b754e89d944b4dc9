/**
 * Concrete pipeline nodes that know nothing about rooms: SRTP/SRTCP decryption and encryption,
 * RTP header parsing into {@link dev.palco.sfu.pipeline.PacketInfo} fields, RFC 4588 RTX
 * wrapping and unwrapping, and the node that hands a finished packet to the transport.
 *
 * <p>The nodes that need the room model (routing to a publication, fan-out to subscriptions,
 * rewriting for a subscriber, RTCP termination) live in {@code dev.palco.sfu.room}.
 */
package dev.palco.sfu.pipeline.node;
