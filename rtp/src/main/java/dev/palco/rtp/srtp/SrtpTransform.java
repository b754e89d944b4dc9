package dev.palco.rtp.srtp;

/**
 * One direction of one SRTP session for one protection profile: the session keys, derived once,
 * and the in-place transforms of RFC 3711 §3.3-3.4 (AES-CM) or RFC 7714 §7-9 (AES-GCM). Per-SSRC
 * state (rollover counter, replay window, SRTCP index) lives in the caller's {@link
 * SrtpStreamState}: the keys do not depend on the SSRC (key derivation rate 0), so one transform
 * serves every SSRC of the direction.
 *
 * <p>The callers ({@link SrtpSender}, {@link SrtpReceiver}) have already checked the window, the
 * RTP header and the tailroom. An unprotect moves the stream state only when the packet
 * authenticated. Nothing here throws or allocates per packet (except {@link JcaAesGcm}).
 *
 * <p>Not thread-safe: one thread at a time, like the sender or receiver that owns it.
 */
interface SrtpTransform {
    /** Encrypts and tags an RTP packet of {@code len} bytes whose header is {@code headerLen}. */
    SrtpStatus protectRtp(byte[] buf, int off, int len, int headerLen, SrtpStreamState state);

    /** Verifies, replay-checks and decrypts; {@code headerLen <= len - tag} is checked. */
    SrtpStatus unprotectRtp(byte[] buf, int off, int len, int headerLen, SrtpStreamState state);

    /** Encrypts and tags a compound RTCP packet, appending the E flag and SRTCP index. */
    SrtpStatus protectRtcp(byte[] buf, int off, int len, SrtpStreamState state);

    /** Verifies, replay-checks and, if the E flag says so, decrypts an SRTCP packet. */
    SrtpStatus unprotectRtcp(byte[] buf, int off, int len, SrtpStreamState state);

    /** Length of the packet produced by the last call that returned {@link SrtpStatus#OK}. */
    int lengthBytes();

    /** Zeroes what can be reached of the session keys. */
    void destroy();
}
