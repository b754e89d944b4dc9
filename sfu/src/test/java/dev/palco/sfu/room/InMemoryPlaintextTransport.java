package dev.palco.sfu.room;

/** An in-memory transport that carries plain RTP/RTCP, as an in-process subscriber does. */
final class InMemoryPlaintextTransport extends InMemoryMediaTransport implements PlaintextMediaTransport {
  InMemoryPlaintextTransport(String id) {
    super(id, null);
  }
}
