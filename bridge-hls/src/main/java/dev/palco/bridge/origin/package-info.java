/**
 * The LL-HLS origin: live renditions held in memory, and the HTTP server in front of them.
 *
 * <ul>
 *   <li>{@link dev.palco.bridge.origin.LiveOrigin}: routing, multivariant playlist, viewer tokens,
 *       time (an injected {@link java.time.Clock}).</li>
 *   <li>{@link dev.palco.bridge.origin.Rendition}: one rendition's segments, parts and playlist,
 *       fed by a {@link dev.palco.bridge.cmaf.CmafSegmenter}; blocking playlist reload
 *       (RFC 8216bis §6.2.5.2), delta updates (§6.2.5.1), preload-hinted parts (§6.2.6) and
 *       retention (§6.2.2).</li>
 *   <li>{@link dev.palco.bridge.origin.OriginServer}: the HTTP front.</li>
 * </ul>
 *
 * <p><b>Why Netty.</b> A blocked playlist request must cost a list entry, not a thread: thousands of
 * viewers each hold one for up to a part duration. Netty lets a handler return without answering
 * and answer later from any thread, its HTTP/2 codec serves cleartext upgrade and prior knowledge
 * with the same handler as HTTP/1.1, handlers can be tested without sockets, and only the per-module
 * jars (transport, handler, codec-http, codec-http2) with the NIO transport are needed. Undertow's
 * non-blocking handlers could do the same, but its HTTP/2 and async completion go through more
 * layers (exchange dispatch, XNIO) for no gain here.
 *
 * <p><b>Threads.</b> Producers (segmenters) call {@link dev.palco.bridge.origin.Rendition} on their
 * own thread; requests arrive on the event loops. Each rendition is guarded by its own monitor, held
 * for list updates and playlist rendering only; responses are queued on the requester's event loop.
 * Playlists are rendered once per change and per variant (full or delta, plain or gzip) and shared
 * by every response. A 100 ms timer calls {@link dev.palco.bridge.origin.LiveOrigin#tick()}.
 */
package dev.palco.bridge.origin;
