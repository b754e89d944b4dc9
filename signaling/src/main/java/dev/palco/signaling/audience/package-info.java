/**
 * The audience layer: everyone who watches a room's stream rather than sitting on its stage.
 * Viewers join through their own door ({@code /ws/audience}) with an audience link; they hold no
 * seat and no media state, only a small {@code Viewer} session (votes, hand, rate buckets) that
 * survives a reconnect.
 *
 * <ul>
 *   <li>{@link dev.palco.signaling.audience.AudienceRoom} owns one room's questions, votes, hands,
 *       chat and bans, applies the moderation rules (length and rate limits, the {@link
 *       dev.palco.signaling.audience.ContentFilter}, bans), and fans changes out as one update
 *       serialised once for all viewers ({@link dev.palco.signaling.EncodedFrame}).
 *   <li>{@link dev.palco.signaling.audience.StageGrants} signs the short-lived, single-use grant
 *       a moderator's invitation gives one viewer session to join the stage as a presenter.
 *   <li>{@link dev.palco.signaling.audience.AudienceJournal} appends every change to a file per
 *       room so a restart restores the rooms and their audience state.
 *   <li>{@link dev.palco.signaling.audience.AudienceHub} ties these to the room registry.
 * </ul>
 *
 * <p>Errors are {@link dev.palco.signaling.SignalingException}s with the codes of {@code
 * docs/protocol.md}, "Audience".
 */
package dev.palco.signaling.audience;
