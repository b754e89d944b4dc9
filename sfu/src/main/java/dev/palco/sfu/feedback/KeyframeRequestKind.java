package dev.palco.sfu.feedback;

/** What {@link KeyframeRequester#pollDue} asks the caller to send toward the publisher. */
public enum KeyframeRequestKind {
    /** Nothing now. */
    NONE,
    /** A Picture Loss Indication (RFC 4585 §6.3.1). */
    PLI,
    /**
     * A Full Intra Request (RFC 5104 §4.3.1) with sequence number
     * {@link KeyframeRequester#firSequenceNumber()}.
     */
    FIR
}
