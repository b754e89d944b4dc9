/**
 * The broadcast as signaling sees it: start and stop a room's LL-HLS stream ({@link
 * dev.palco.signaling.broadcast.Broadcaster}) and serve it to the audience under {@code /hls/}.
 * The media work (subscribe, decode, composite, encode, package) is the bridge's, in {@code
 * bridge-hls}.
 */
package dev.palco.signaling.broadcast;
