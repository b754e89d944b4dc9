/**
 * The load generator ({@code palco-loadtest}): simulated publishers ({@link
 * dev.palco.loadtest.generator.StreamPublisher}) and subscribers ({@link
 * dev.palco.loadtest.generator.StreamSubscriber}, optionally behind a {@link
 * dev.palco.loadtest.generator.ReceiveShaper}), a simulcast publisher ({@link
 * dev.palco.loadtest.generator.SimulcastPublisher}), on Palco's own client stack (ICE, DTLS-SRTP,
 * RTCP feedback), paced by one {@link dev.palco.loadtest.generator.MediaLoop}; the servers they load,
 * behind {@link dev.palco.loadtest.generator.MediaTarget} (Palco through WHIP/WHEP, Janus's
 * VideoRoom through its HTTP API); LL-HLS viewers ({@link dev.palco.loadtest.generator.HlsViewers});
 * measurement ({@link dev.palco.loadtest.generator.LoadRun}, {@link
 * dev.palco.loadtest.generator.WindowResult}) and reports ({@link
 * dev.palco.loadtest.generator.ReportWriter}); scenarios as flags ({@link
 * dev.palco.loadtest.generator.GeneratorOptions}) or HOCON files ({@link
 * dev.palco.loadtest.generator.ScenarioFile}). Entry points: {@link
 * dev.palco.loadtest.generator.LoadGenerator} (one scenario) and {@link
 * dev.palco.loadtest.generator.SideBySideBenchmark} (Janus against Palco).
 */
package dev.palco.loadtest.generator;
