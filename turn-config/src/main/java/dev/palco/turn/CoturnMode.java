package dev.palco.turn;

/** Whether a generated {@code turnserver.conf} is for real use or for tests on loopback. */
public enum CoturnMode {
  /**
   * For real use: loopback peers stay forbidden (coturn 4.6 forbids them unless {@code
   * allow-loopback-peers} is set, which this mode never writes) and the software version is hidden.
   */
  PRODUCTION,
  /**
   * For tests on one machine: coturn listens on loopback only, and may relay to 127.0.0.1 (the
   * SFU under test), and to nothing else on loopback.
   */
  TEST
}
