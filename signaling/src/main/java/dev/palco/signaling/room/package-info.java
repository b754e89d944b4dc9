/**
 * Rooms as signaling keeps them: who sits in which room with which role and tracks, which links a
 * moderator revoked, and the rules that turn joins, leaves, mutes and media events into the room
 * events of {@code docs/protocol.md}.
 *
 * <p>Each {@link dev.palco.signaling.room.Room} guards its state with one lock of its own, held
 * only for bookkeeping and for queueing messages (which never blocks); media sessions are opened
 * and closed outside it. The {@link dev.palco.signaling.room.RoomRegistry} creates, finds, expires
 * and ends rooms.
 */
package dev.palco.signaling.room;
