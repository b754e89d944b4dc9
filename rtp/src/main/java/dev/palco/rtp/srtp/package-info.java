/**
 * SRTP and SRTCP (RFC 3711, RFC 7714) for the media plane, both profiles on our own transforms,
 * neither of which allocates per packet.
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
 * MessageDigest}, the Appendix A index estimation and a 64-packet replay window per SSRC.
 * AEAD_AES_128_GCM runs on {@code AesGcmTransformer} (RFC 7714 §8-9) with the same per-SSRC
 * state, and on OpenSSL's GCM through the JNI entry points of jitsi-srtp's native library ({@code
 * OpenSslAesGcm}): one {@code EVP_CIPHER_CTX} per key that takes a new IV per packet, which the
 * JCA cannot do without a new parameter object. Where that library does not load, GCM falls back
 * to the JDK's provider, which allocates.
 *
 * <p>{@link dev.palco.rtp.srtp.SrtpKeyDerivation} is our RFC 3711 §4.3 key derivation, which
 * RFC 7714 §11 keeps for GCM. jitsi-srtp's own crypto contexts are used only by tests and
 * benchmarks, to check ours byte for byte. {@link dev.palco.rtp.srtp.SrtpSupport#warmUp()} loads
 * the native library and JIT-warms both profiles at server start-up.
 *
 * <p>No threads, sockets or clocks live here.
 */
package dev.palco.rtp.srtp;
