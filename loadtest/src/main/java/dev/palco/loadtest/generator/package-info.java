/**
 * The load generator ({@code palco-loadtest}): simulated publishers ({@link
 * dev.palco.loadtest.generator.StreamPublisher}) and subscribers ({@link
 * dev.palco.loadtest.generator.StreamSubscriber}) on Palco's own client stack (ICE, DTLS-SRTP, RTCP
 * feedback), paced by one {@link dev.palco.loadtest.generator.MediaLoop}; the servers they load,
 * behind {@link dev.palco.loadtest.generator.MediaTarget} (Palco through WHIP/WHEP, Janus's
 * VideoRoom through its HTTP API); LL-HLS viewers ({@link dev.palco.loadtest.generator.HlsViewers});
 * measurement ({@link dev.palco.loadtest.generator.LoadRun}, {@link
 * dev.palco.loadtest.generator.WindowResult}) and reports ({@link
 * dev.palco.loadtest.generator.ReportWriter}). Entry points: {@link
 * dev.palco.loadtest.generator.LoadGenerator} (one scenario) and {@link
 * dev.palco.loadtest.generator.SideBySideBenchmark} (Janus against Palco).
 */
package dev.palco.loadtest.generator;
