package dev.palco.bridge.origin;

/**
 * One HTTP request as the origin logic sees it: a place to send one answer, now or later, from any
 * thread. A parked request is just one of these in a waiter list: no thread waits for it.
 *
 * <p>Implementations keep the calls in order (the Netty one queues each call on the channel's
 * event loop) and ignore calls after the connection closed.
 */
public interface OriginExchange {

    /** Sends a complete response. */
    void respond(OriginResponse response);

    /** Sends the status and headers of a response whose body follows in {@link #chunk} calls. */
    void beginChunked(OriginResponse head);

    /** Sends part of the body of a chunked response. The array must not change afterwards. */
    void chunk(byte[] buf, int off, int len);

    /** Ends a chunked response. */
    void end();

    /** Whether the client is still connected. */
    boolean isOpen();
}
