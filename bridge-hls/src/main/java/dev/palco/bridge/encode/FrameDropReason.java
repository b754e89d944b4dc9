package dev.palco.bridge.encode;

/** Why {@link LadderEncoder} did not encode a picture or audio block (the caller counts these). */
public enum FrameDropReason {
    /** Encoded. */
    OK,
    /** The capture time falls more than one frame before the last picture's: the source runs faster than the frame rate. */
    FRAME_RATE_EXCEEDED,
    /** Size, layout or buffer length do not make a picture (odd size, short buffer, unsupported pixel format). */
    INVALID_PICTURE,
    /** No samples, or a buffer shorter than the samples claimed. */
    INVALID_AUDIO,
    /** The encoder refused the input or failed; see {@link LadderEncoder#encoderErrors()}. */
    ENCODER_ERROR,
    /** {@link LadderEncoder#finish()} was called. */
    FINISHED
}
