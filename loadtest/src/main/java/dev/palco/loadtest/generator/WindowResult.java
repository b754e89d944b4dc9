package dev.palco.loadtest.generator;

/**
 * What one measured interval at a steady load showed.
 *
 * @param subscribers subscribers connected during the interval
 * @param seconds the interval's length
 * @param packetsPerSecond RTP packets delivered to all subscribers, per second
 * @param bitrateMbps bits delivered to all subscribers, per second, in Mbit/s
 * @param expectedPackets packets the subscribers' sequence numbers say were sent to them
 * @param lossPercent packets never received (original nor RTX), percent of expected
 * @param nacks sequence numbers NACKed
 * @param rtx RTX packets received
 * @param p50Ms forwarding latency (publisher send to subscriber receive), median
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param maxMs largest
 * @param serverCpuCores the server's CPU time over the interval, in cores
 * @param serverRssMb the server's resident memory at the end, in MiB
 * @param generatorCpuCores the generator's own CPU, in cores
 * @param connectFailures subscriptions that failed so far
 */
public record WindowResult(int subscribers, double seconds, double packetsPerSecond, double bitrateMbps,
    long expectedPackets, double lossPercent, long nacks, long rtx, double p50Ms, double p95Ms, double p99Ms,
    double maxMs, double serverCpuCores, double serverRssMb, double generatorCpuCores, long connectFailures) {

  /** Server CPU per subscriber stream (one video plus one audio), in percent of a core. */
  public double serverCpuPercentPerSubscriber() {
    return subscribers == 0 ? 0 : serverCpuCores * 100.0 / subscribers;
  }
}
