package dev.palco.sfu.transport;

/** Outcome of {@link PacketTransport#send}: the packet path reports, it never throws. */
public enum SendResult {
    /** Handed to the socket of the selected pair. */
    SENT,
    /** No pair is selected yet (or consent was lost, RFC 7675 §5.1: stop sending). */
    NOT_CONNECTED,
    /** The transport is closed. */
    CLOSED,
    /** The socket refused the datagram (counted, logged at debug level). */
    IO_ERROR
}
