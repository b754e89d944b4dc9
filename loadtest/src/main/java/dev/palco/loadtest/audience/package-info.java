/**
 * The audience benchmark ({@link dev.palco.loadtest.audience.AudienceLoad}): thousands of audience
 * WebSocket connections on loopback against a Palco server in its own process, measuring how long
 * a Q&amp;A update takes to reach all of them and what it costs the server. Results go to
 * {@code docs/benchmarks.md}; it is never part of a test run.
 */
package dev.palco.loadtest.audience;
