/**
 * WHIP ingest (RFC 9725) and WHEP playback over HTTP: {@code POST} an offer to {@code
 * /whip/{roomId}} or {@code /whep/{roomId}}, then {@code PATCH} (trickle ICE, ICE restart) and
 * {@code DELETE} the session URL it returns. A WHIP session is a seat in the room that only
 * publishes; a WHEP session is a player that only receives the room's tracks and takes no seat.
 */
package dev.palco.signaling.whip;
