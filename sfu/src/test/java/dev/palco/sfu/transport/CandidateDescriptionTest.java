package dev.palco.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.transport.CandidateDescription.Protocol;
import dev.palco.sfu.transport.CandidateDescription.TcpType;
import dev.palco.sfu.transport.CandidateDescription.Type;
import java.util.List;
import java.util.stream.Stream;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.RemoteCandidate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Candidate values: validation and conversion to ice4j. */
class CandidateDescriptionTest {
    private static Agent agent;
    private static Component component;

    @BeforeAll
    static void createComponent() throws Exception {
        IceTestSupport.quietIce4j();
        Ice4jSetup.apply();
        agent = new Agent();
        agent.setUseDynamicPorts(false);
        IceMediaStream stream = agent.createMediaStream("s");
        component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, false);
    }

    @AfterAll
    static void freeAgent() {
        agent.free();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("component 0", (Runnable) () -> udp(0, 1, 5000)),
                Arguments.of("component 257", (Runnable) () -> udp(257, 1, 5000)),
                Arguments.of("priority 0", (Runnable) () -> udp(1, 0, 5000)),
                Arguments.of("priority 2^32", (Runnable) () -> udp(1, 0x1_0000_0000L, 5000)),
                Arguments.of("port -1", (Runnable) () -> udp(1, 1, -1)),
                Arguments.of("port 65536", (Runnable) () -> udp(1, 1, 65_536)),
                Arguments.of("TCP without tcptype", (Runnable) () -> new CandidateDescription(
                        "1", 1, Protocol.TCP, 1, "127.0.0.1", 9, Type.HOST, null, -1, TcpType.NONE)),
                Arguments.of("UDP with tcptype", (Runnable) () -> new CandidateDescription(
                        "1", 1, Protocol.UDP, 1, "127.0.0.1", 9, Type.HOST, null, -1, TcpType.ACTIVE)),
                Arguments.of("null address", (Runnable) () -> new CandidateDescription(
                        "1", 1, Protocol.UDP, 1, null, 9, Type.HOST, null, -1, TcpType.NONE)));
    }

    private static CandidateDescription udp(int component, long priority, int port) {
        return new CandidateDescription("1", component, Protocol.UDP, priority, "127.0.0.1", port, Type.HOST, null,
                -1, TcpType.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsOutOfRangeValues(String name, Runnable construct) {
        assertThrows(RuntimeException.class, construct::run);
    }

    @Test
    void convertsToIce4jRemoteCandidates() {
        CandidateDescription host = new CandidateDescription("842163049", 1, Protocol.UDP, 2_122_260_223L,
                "192.0.2.10", 54_400, Type.HOST, null, -1, TcpType.NONE);
        RemoteCandidate rc = Ice4jCandidates.toRemote(host, component);
        assertEquals("192.0.2.10", rc.getTransportAddress().getHostAddress());
        assertEquals(54_400, rc.getTransportAddress().getPort());
        assertEquals(2_122_260_223L, rc.getPriority());
        assertEquals("842163049", rc.getFoundation());
        assertEquals(Type.HOST, Ice4jCandidates.type(rc.getType()));

        CandidateDescription tcp = new CandidateDescription("1", 1, Protocol.TCP, 1_518_280_447L, "2001:db8::1", 9,
                Type.HOST, null, -1, TcpType.ACTIVE);
        RemoteCandidate rt = Ice4jCandidates.toRemote(tcp, component);
        assertEquals(org.ice4j.Transport.TCP, rt.getTransport());
        assertEquals(org.ice4j.ice.CandidateTcpType.ACTIVE, rt.getTcpType());
    }

    @Test
    void refusesNamesThatWouldNeedResolving() {
        for (String name : List.of("example.com", "1f6c2e1a-6a36-4a3b-9a52-5b1c1f0c7b6d.local", "1.2.3", "", "1.2.3.4.5x")) {
            CandidateDescription d = new CandidateDescription("1", 1, Protocol.UDP, 1, name, 9, Type.HOST, null, -1,
                    TcpType.NONE);
            assertThrows(IllegalArgumentException.class, () -> Ice4jCandidates.toRemote(d, component), name);
        }
    }

    @Test
    void typesRoundTrip() {
        for (Type t : Type.values()) {
            assertEquals(t, Ice4jCandidates.type(Ice4jCandidates.ice4jType(t)));
            assertTrue(!t.sdpName().isEmpty());
        }
    }
}
