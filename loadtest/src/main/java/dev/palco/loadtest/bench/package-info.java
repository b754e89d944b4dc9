/**
 * JMH microbenchmarks of the packet path: RTP parse and per-subscriber header rewrite, and SRTP
 * protect/unprotect for each negotiated profile.
 *
 * <p>This package owns the benchmark classes and their packet fixtures only; it measures code in
 * {@code dev.palco.rtp} and adds no behaviour of its own. The benchmarks are built into
 * {@code loadtest/target/benchmarks.jar} and run by hand (see {@code loadtest/README.md}); they are
 * never part of {@code mvn test}. Results, with the machine, the command, the date and the load
 * average, are recorded in {@code docs/benchmarks.md}.
 */
package dev.palco.loadtest.bench;
