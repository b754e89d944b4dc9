package dev.palco.sfu.room;

import dev.palco.sfu.transport.MediaTransport;

/**
 * A {@link MediaTransport} whose datagrams never leave the process — the LL-HLS bridge
 * subscribing in-process (docs/architecture.md: "with no ICE or SRTP in between"), or a test
 * harness. A participant on such a transport gets pipelines without the SRTP nodes: what it
 * receives is already plain RTP/RTCP, and what is sent to it stays plain.
 *
 * <p>This is an explicit type rather than a {@code null} {@link MediaTransport#srtp()}, which means
 * "DTLS not finished yet" for a network transport: plaintext must never be chosen by accident.
 * {@link #srtp()} is not used for such a transport.
 */
public interface PlaintextMediaTransport extends MediaTransport {}
