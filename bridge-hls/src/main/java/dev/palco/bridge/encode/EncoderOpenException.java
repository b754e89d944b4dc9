package dev.palco.bridge.encode;

/**
 * The ladder could not be opened: an FFmpeg encoder is missing from the native build (libx264
 * comes only with the GPL build) or refused its settings. Control plane only: once open, the
 * encoder reports per-frame failures as {@link FrameDropReason}s.
 */
public final class EncoderOpenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public EncoderOpenException(String message) {
        super(message);
    }
}
