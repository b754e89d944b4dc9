/**
 * The plain-HTTP doors: the rooms REST API ({@code /api/rooms}), {@code /healthz}, {@code
 * /metrics}, CORS, and the static web client served from the classpath folder {@code palco-web/}.
 */
package dev.palco.signaling.http;
