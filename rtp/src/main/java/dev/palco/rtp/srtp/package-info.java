/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) for the media plane: AES128_CM_HMAC_SHA1_80 on our own
 * transform, AEAD_AES_128_GCM on jitsi-srtp.
 *
 * <p>This package owns the per-direction crypto contexts of one transport: an {@link
 * dev.palco.rtp.srtp.SrtpSession} holds an {@link dev.palco.rtp.srtp.SrtpSender} (our keys, for
 * what we send) and an {@link dev.palco.rtp.srtp.SrtpReceiver} (the peer's keys, for what we
 * receive). Both work in place on caller-owned {@code (byte[] buf, int off, int len)} views and
 * report every outcome as an {@link dev.palco.rtp.srtp.SrtpStatus}; nothing on the packet path
 * throws. Keys normally come from the DTLS-SRTP exporter in {@code dev.palco.rtp.dtls} (RFC 5764
 * §4.2).
 *
 * <p>AES128_CM_HMAC_SHA1_80 runs on {@code AesCmTransformer}: the RFC 3711 §4.1.1 keystream from
 * one {@code AES/ECB} cipher keyed once per session, HMAC-SHA1 (RFC 2104) on one {@code
 * MessageDigest}, the Appendix A index estimation and a 64-packet replay window per SSRC. It
 * allocates nothing per packet. AEAD_AES_128_GCM runs on jitsi-srtp, which makes a new IV
 * parameter object on every packet (64 bytes per packet and direction); the JCA offers no way
 * around that (see {@code docs/benchmarks.md}).
 *
 * <p>{@link dev.palco.rtp.srtp.SrtpKeyDerivation} is our RFC 3711 §4.3 key derivation: the AES-CM
 * transform uses it, and tests check jitsi-srtp's GCM against it. {@link
 * dev.palco.rtp.srtp.SrtpSupport#warmUp()} moves jitsi-srtp's one-off crypto provider benchmark
 * and the JIT warm-up of both profiles to server start-up.
 *
 * <p>No threads, sockets or clocks live here.
 */
package dev.palco.rtp.srtp;
