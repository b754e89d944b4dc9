package dev.palco.rtp.srtp;

/**
 * AES-128-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag, as RFC 7714 uses it, working
 * in place on caller-owned arrays. One message at a time: {@link #start}, then any number of
 * {@link #aad} calls, then one {@link #seal} or {@link #open}.
 *
 * <p>Two engines: {@link OpenSslAesGcm} keeps one OpenSSL cipher context per key and sets only
 * the IV per packet, allocating nothing; {@link JcaAesGcm} runs on the JDK's provider where the
 * OpenSSL binding is not available, and allocates a parameter object per packet because the JCA
 * takes a new IV only inside a new {@code GCMParameterSpec}.
 *
 * <p>Not thread-safe: one thread at a time, like the transform that owns it.
 */
interface AesGcm {
    /** RFC 7714 §8.1, §9.1: the IV is 12 bytes. */
    int IV_SIZE_BYTES = 12;
    /** RFC 7714 §14.2: AEAD_AES_128_GCM has a 16-byte tag. */
    int TAG_SIZE_BYTES = 16;

    /**
     * Starts a message.
     *
     * @param iv the 12-byte IV (read during the call, not kept)
     * @param encrypt true to {@link #seal}, false to {@link #open}
     * @return false if the engine refused (the message must then be dropped)
     */
    boolean start(byte[] iv, boolean encrypt);

    /** Feeds associated data: authenticated, not encrypted. */
    boolean aad(byte[] buf, int off, int len);

    /**
     * Encrypts {@code buf[off, off + len)} in place and writes the tag at {@code off + len}.
     *
     * @return false if the engine failed
     */
    boolean seal(byte[] buf, int off, int len);

    /**
     * Verifies the tag at {@code off + len} over the associated data and the ciphertext {@code
     * buf[off, off + len)}, decrypting the ciphertext in place.
     *
     * @return true only if the tag matched; on false the window's bytes may have changed and the
     *     message must be dropped
     */
    boolean open(byte[] buf, int off, int len);
}
