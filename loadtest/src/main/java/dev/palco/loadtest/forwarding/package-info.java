/**
 * Forwarding benchmarks of the SFU: {@link dev.palco.loadtest.forwarding.ForwardingLatencyBenchmark},
 * a command-line load run with real clients (ICE, DTLS, SRTP over loopback) that measures the
 * SFU's own added latency and the end-to-end delay at 1, 10 and 100 subscribers; {@link
 * dev.palco.loadtest.forwarding.SubscriberCapacityBenchmark}, which ramps subscribers of a
 * simulcast publisher on mixed layers until loss starts and reports streams per core; and {@link
 * dev.palco.loadtest.forwarding.ForwardingAllocationBenchmark}, a JMH benchmark of the bytes
 * allocated per forwarded packet.
 *
 * <p>This package owns the load clients ({@link dev.palco.loadtest.forwarding.LoadPublisher},
 * bursts or Chromium-like pacing, one layer or simulcast; {@link
 * dev.palco.loadtest.forwarding.LoadSubscriber}, with its transport-cc feedback ({@link
 * dev.palco.loadtest.forwarding.TransportCcReporter}); {@link
 * dev.palco.loadtest.forwarding.SubscriberFleet}, subscriber clients in a child process), the
 * in-process signaling of the runs ({@link dev.palco.loadtest.forwarding.LoopbackSfu}), an
 * in-memory transport for JMH and the measurement helpers. It measures {@code dev.palco.sfu} and adds no behaviour of its own. Runs
 * are by hand, never in {@code mvn test}; results go to {@code docs/benchmarks.md}.
 */
package dev.palco.loadtest.forwarding;
