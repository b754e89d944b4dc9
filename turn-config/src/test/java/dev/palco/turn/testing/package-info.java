/**
 * Test support for TURN, shared with other modules' tests through this module's test-jar: {@link
 * dev.palco.turn.testing.CoturnProcess} runs a real coturn with a generated configuration on free
 * loopback ports, and {@link dev.palco.turn.testing.TurnTestClient} speaks just enough STUN/TURN
 * (RFC 8489, RFC 8656) to allocate a relay with a long-term credential over UDP or TCP.
 */
package dev.palco.turn.testing;
