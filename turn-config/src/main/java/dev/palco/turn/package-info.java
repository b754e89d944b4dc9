/**
 * TURN for participants behind firewalls, as pure functions (no threads, sockets or clocks: every
 * method that depends on time takes the {@link java.time.Instant}).
 *
 * <p>This package owns:
 *
 * <ul>
 *   <li>Ephemeral TURN credentials in coturn's {@code use-auth-secret} scheme (the "TURN REST API",
 *       draft-uberti-behave-turn-rest-00 §2.2): {@link dev.palco.turn.TurnSecrets} (the shared
 *       secret and its rotation), {@link dev.palco.turn.TurnCredentials} (issue and verify) and
 *       {@link dev.palco.turn.TurnCredential}.
 *   <li>The {@code iceServers} each participant is handed: {@link dev.palco.turn.IceServerSettings}
 *       and {@link dev.palco.turn.IceServerList}, producing {@link dev.palco.turn.IceServer}
 *       entries (RTCIceServer in W3C WebRTC §4.2.1, URLs per RFC 7064 and RFC 7065).
 *   <li>A hardened coturn {@code turnserver.conf}: {@link dev.palco.turn.CoturnSettings} and
 *       {@link dev.palco.turn.CoturnConfigGenerator}, with the peer ranges a relay must never reach
 *       in {@link dev.palco.turn.DeniedPeerRange}.
 * </ul>
 *
 * <p>It does not run coturn, open sockets or know how Palco reads its configuration: signaling
 * turns {@code palco.turn} into these settings, hands out the {@code iceServers}, and offers the
 * {@code turn-config} command that writes the coturn file.
 */
package dev.palco.turn;
