/**
 * The WebSocket door ({@code GET /ws}): one {@link dev.palco.signaling.ws.ClientConnection} per
 * socket, which parses, rate-limits and dispatches the client's messages and queues the server's.
 *
 * <h2>Isolation between connections</h2>
 *
 * A connection's bad input must never hurt another connection. So:
 *
 * <ul>
 *   <li>the I/O thread only buffers a frame (at most 64 KiB, else close 1009) and asks the
 *       connection's {@link dev.palco.signaling.ws.RateLimiter}; JSON parsing and handling run on
 *       a shared worker pool, one message at a time per connection ({@link
 *       dev.palco.signaling.ws.SerialExecutor}), with no shared lock held;
 *   <li>messages over the rate are answered {@code rate-limited} and dropped before they are
 *       parsed, and a connection that floods for the configured time is closed with 1008;
 *   <li>every queue is bounded: the per-connection inbound queue by the rate limit and a hard cap,
 *       the outbound queue ({@link dev.palco.signaling.ws.OutboundQueue}) by a message count past
 *       which a slow reader is disconnected rather than buffered for.
 * </ul>
 */
package dev.palco.signaling.ws;
