/**
 * The composition root: {@link dev.palco.server.PalcoMain} reads the configuration ({@link
 * dev.palco.server.ServerConfig}: built-in {@code reference.conf}, a {@code --config} file, flags),
 * sets up logging and TLS, builds the media plane and the {@link
 * dev.palco.signaling.SignalingServer}, and shuts them down on SIGTERM. {@link
 * dev.palco.server.TurnConfig} is the {@code palco.turn} block, and {@link
 * dev.palco.server.TurnConfigCommand} ({@code palco turn-config}) writes coturn's configuration
 * from it.
 */
package dev.palco.server;
