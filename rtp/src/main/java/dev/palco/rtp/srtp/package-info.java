/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) for the media plane, on top of jitsi-srtp.
 *
 * <p>This package owns the per-direction crypto contexts of one transport: an {@link
 * dev.palco.rtp.srtp.SrtpSession} holds an {@link dev.palco.rtp.srtp.SrtpSender} (our keys, for
 * what we send) and an {@link dev.palco.rtp.srtp.SrtpReceiver} (the peer's keys, for what we
 * receive). Both work in place on caller-owned {@code (byte[] buf, int off, int len)} views and
 * report every outcome as an {@link dev.palco.rtp.srtp.SrtpStatus}; nothing on the packet path
 * throws. Our own code allocates nothing per packet; jitsi-srtp underneath still makes a new IV
 * parameter object (and, for AES-CM, an HMAC result) on every packet, 64–208 bytes in all (see
 * {@code docs/benchmarks.md}). Keys normally come from the DTLS-SRTP exporter in {@code dev.palco.rtp.dtls}
 * (RFC 5764 §4.2).
 *
 * <p>{@link dev.palco.rtp.srtp.SrtpKeyDerivation} is our own RFC 3711 §4.3 key derivation, used to
 * check jitsi-srtp against the RFC test vectors. {@link dev.palco.rtp.srtp.SrtpSupport#warmUp()}
 * moves jitsi-srtp's one-off crypto provider benchmark to server start-up.
 *
 * <p>No threads, sockets or clocks live here.
 */
package dev.palco.rtp.srtp;
