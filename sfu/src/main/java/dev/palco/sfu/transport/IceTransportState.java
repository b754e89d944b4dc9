package dev.palco.sfu.transport;

/** Life cycle of an ICE transport. */
public enum IceTransportState {
    /** Created, candidates gathered, checks not started. */
    NEW,
    /** Connectivity checks running. */
    CHECKING,
    /** A pair is selected; media may flow. */
    CONNECTED,
    /** Checks failed, timed out, or consent was lost. Terminal. */
    FAILED,
    /** Closed by its owner. Terminal. */
    CLOSED
}
