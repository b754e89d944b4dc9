/**
 * The server's Micrometer meters, exported in Prometheus text format at {@code /metrics}:
 * sessions, rooms, participants, messages in and out by type, errors by code, disconnects by
 * reason, and whatever the media plane binds through {@link
 * dev.palco.signaling.media.MediaPlane#bindTo}.
 */
package dev.palco.signaling.metrics;
