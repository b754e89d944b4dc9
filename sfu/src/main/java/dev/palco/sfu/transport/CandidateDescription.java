package dev.palco.sfu.transport;

import java.util.Objects;

/**
 * One ICE candidate as plain values, the fields of an SDP {@code a=candidate} line
 * (RFC 8839 §5.1) so the SDP layer can print or parse it without knowing ice4j:
 *
 * <pre>
 * candidate-attribute = "candidate" ":" foundation SP component-id SP
 *                       transport SP priority SP connection-address SP port
 *                       SP cand-type [SP rel-addr] [SP rel-port]
 *                       [SP "tcptype" SP tcp-type]            ; RFC 6544 §4.5
 * </pre>
 *
 * @param foundation the foundation (1 to 32 ice-chars)
 * @param componentId the component (1 = RTP; with rtcp-mux and BUNDLE it is the only one)
 * @param protocol UDP or TCP
 * @param priority the 32-bit priority (RFC 8445 §5.1.2)
 * @param address the connection address (IP literal)
 * @param port the port (9 for an active TCP candidate, RFC 6544 §4.5)
 * @param type host, srflx, prflx or relay
 * @param relatedAddress rel-addr, or null
 * @param relatedPort rel-port, or -1 when there is no related address
 * @param tcpType the RFC 6544 tcptype, or {@link TcpType#NONE} for UDP
 */
public record CandidateDescription(
        String foundation,
        int componentId,
        Protocol protocol,
        long priority,
        String address,
        int port,
        Type type,
        String relatedAddress,
        int relatedPort,
        TcpType tcpType) {

    /** Transport protocol of a candidate. */
    public enum Protocol {
        /** UDP. */
        UDP,
        /** TCP with RFC 4571 framing (RFC 6544). */
        TCP
    }

    /** Candidate type (RFC 8445 §5.1.1). */
    public enum Type {
        /** Host candidate ("host"). */
        HOST("host"),
        /** Server-reflexive candidate ("srflx"). */
        SRFLX("srflx"),
        /** Peer-reflexive candidate ("prflx"). */
        PRFLX("prflx"),
        /** Relayed candidate ("relay"). */
        RELAY("relay");

        private final String sdpName;

        Type(String sdpName) {
            this.sdpName = sdpName;
        }

        /** @return the cand-type token used in SDP */
        public String sdpName() {
            return sdpName;
        }
    }

    /** RFC 6544 §4.5 tcptype. */
    public enum TcpType {
        /** Not a TCP candidate. */
        NONE,
        /** Opens outgoing connections only. */
        ACTIVE,
        /** Accepts incoming connections only. */
        PASSIVE,
        /** Simultaneous open. */
        SO
    }

    /** Validates ranges that ICE depends on. */
    public CandidateDescription {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tcpType, "tcpType");
        if (componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("component-id out of range: " + componentId);
        }
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if ((protocol == Protocol.TCP) != (tcpType != TcpType.NONE)) {
            throw new IllegalArgumentException("tcptype is required for TCP and forbidden for UDP");
        }
    }
}
