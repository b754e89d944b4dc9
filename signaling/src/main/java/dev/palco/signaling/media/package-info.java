/**
 * The seam between signaling and the media plane.
 *
 * <p>Signaling drives media through three small interfaces and never sees a packet:
 *
 * <ul>
 *   <li>{@link dev.palco.signaling.media.MediaPlane}: opens one {@link
 *       dev.palco.signaling.media.MediaSession} per participant (or WHIP/WHEP session) in a room;
 *   <li>{@link dev.palco.signaling.media.MediaSession}: the offer/answer and ICE operations of one
 *       peer connection, server-side mute, and the subscriber's own constraints on what it
 *       receives ({@link dev.palco.signaling.media.TrackLayout}: tile size, visibility);
 *   <li>{@link dev.palco.signaling.media.MediaEvents}: what the media plane tells signaling back
 *       (a subscribe offer is ready, a track was published or unpublished, a local candidate, a
 *       failure, the dominant speaker, a received video track paused or resumed with its {@link
 *       dev.palco.signaling.media.ReceivePause reason}).
 * </ul>
 *
 * <h2>Threading contract</h2>
 *
 * Signaling never calls a {@code MediaSession} while holding a lock of its own, and a media plane
 * may call {@code MediaEvents} on any thread, including from inside a {@code MediaSession} call,
 * as long as it holds none of its own locks that a {@code MediaSession} call could need. Event
 * handlers in signaling are short and never block on I/O.
 *
 * <h2>Subscribe negotiation</h2>
 *
 * A participant's session emits {@link dev.palco.signaling.media.MediaEvents#subscribeOfferReady}
 * when the set of tracks it should receive changes. Revisions increase by one per offer. The media
 * plane should emit the next offer only after {@link
 * dev.palco.signaling.media.MediaSession#applySubscribeAnswer} for the current one, folding
 * further changes into it; signaling also holds back an early offer until the outstanding one is
 * answered (keeping only the newest), so the browser never sees two offers in flight.
 *
 * <p>{@link dev.palco.signaling.media.SfuMediaPlane} is the plane of a running server: the SFU's
 * rooms, with a WebRTC transport per session.
 */
package dev.palco.signaling.media;
