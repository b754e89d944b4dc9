/**
 * The composition root: {@link dev.palco.server.PalcoMain} reads the configuration ({@link
 * dev.palco.server.ServerConfig}: built-in {@code reference.conf}, a {@code --config} file, flags),
 * sets up logging and TLS, builds the media plane and the {@link
 * dev.palco.signaling.SignalingServer}, and shuts them down on SIGTERM.
 */
package dev.palco.server;
