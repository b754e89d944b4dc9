package dev.palco.sfu.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Packet counters of one transport. {@link LongAdder}s, because UDP packets are counted on the shared
 * harvester thread while the owner sends from its own threads.
 */
public final class TransportCounters {
    private final LongAdder packetsReceived = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder packetsSent = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder consentRequestsSent = new LongAdder();
    private final LongAdder consentResponsesAccepted = new LongAdder();
    private final LongAdder consentResponsesRejected = new LongAdder();
    private final LongAdder[] drops = new LongAdder[TransportDropReason.values().length];

    /** Creates zeroed counters. */
    public TransportCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    void received(int lengthBytes) {
        packetsReceived.increment();
        bytesReceived.add(lengthBytes);
    }

    void sent(int lengthBytes) {
        packetsSent.increment();
        bytesSent.add(lengthBytes);
    }

    void sendFailed() {
        sendFailures.increment();
    }

    void drop(TransportDropReason reason) {
        drops[reason.ordinal()].increment();
    }

    void consentRequestSent() {
        consentRequestsSent.increment();
    }

    void consentResponse(boolean accepted) {
        (accepted ? consentResponsesAccepted : consentResponsesRejected).increment();
    }

    /** @return datagrams delivered to the receiver */
    public long packetsReceived() {
        return packetsReceived.sum();
    }

    /** @return bytes delivered to the receiver */
    public long bytesReceived() {
        return bytesReceived.sum();
    }

    /** @return datagrams handed to the socket */
    public long packetsSent() {
        return packetsSent.sum();
    }

    /** @return bytes handed to the socket */
    public long bytesSent() {
        return bytesSent.sum();
    }

    /** @return sends the socket refused */
    public long sendFailures() {
        return sendFailures.sum();
    }

    /** @return consent Binding requests sent (RFC 7675) */
    public long consentRequestsSent() {
        return consentRequestsSent.sum();
    }

    /** @return authenticated consent responses */
    public long consentResponsesAccepted() {
        return consentResponsesAccepted.sum();
    }

    /** @return consent responses that were errors or failed MESSAGE-INTEGRITY */
    public long consentResponsesRejected() {
        return consentResponsesRejected.sum();
    }

    /**
     * @param reason a drop reason
     * @return datagrams dropped for that reason
     */
    public long dropped(TransportDropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransportCounters[rx=").append(packetsReceived())
                .append(", tx=").append(packetsSent())
                .append(", txFail=").append(sendFailures())
                .append(", consent=").append(consentResponsesAccepted()).append('/').append(consentRequestsSent());
        for (TransportDropReason r : TransportDropReason.values()) {
            long n = dropped(r);
            if (n != 0) {
                sb.append(", drop.").append(r).append('=').append(n);
            }
        }
        return sb.append(']').toString();
    }
}
