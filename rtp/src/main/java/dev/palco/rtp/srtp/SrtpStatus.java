package dev.palco.rtp.srtp;

/**
 * Outcome of protecting or unprotecting one packet. Everything but {@link #OK} means "drop the
 * packet and count it under this reason"; none of them is ever thrown.
 */
public enum SrtpStatus {
    /** The packet was transformed; the new length is in {@code lengthBytes()}. */
    OK,
    /** Shorter than the fixed header plus (on receive) the trailer the profile requires. */
    TOO_SHORT,
    /**
     * Not an RTP/RTCP packet we can process: wrong version, a CSRC list or header extension that
     * runs past the end, or an {@code (off, len)} window outside the array.
     */
    MALFORMED,
    /** Protect only: the array has fewer bytes after the packet than the profile appends. */
    NO_TAILROOM,
    /**
     * No crypto context: the session is closed, or the SSRC would exceed the bound on contexts
     * per direction (so that a peer cannot make us allocate without limit).
     */
    NO_CONTEXT,
    /** The authentication (or AEAD) tag does not verify: tampered, or wrong keys. */
    AUTH_FAIL,
    /**
     * RFC 3711 §3.3.2: the index was already received, or is older than the replay window.
     */
    REPLAY_FAIL,
    /** The crypto provider failed for a reason unrelated to the packet's content. */
    CRYPTO_FAIL
}
