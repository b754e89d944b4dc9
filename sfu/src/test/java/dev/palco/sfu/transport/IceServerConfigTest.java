package dev.palco.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration checks, 1:1 NAT candidates and the connect timeout (no traffic leaves loopback). */
class IceServerConfigTest {
    @Test
    void rejectsInconsistentConfiguration() {
        List<InetAddress> lo = List.of(IceTestSupport.loopback());
        assertThrows(IllegalArgumentException.class, () -> IceConfig.defaults(List.of()));
        assertThrows(IllegalArgumentException.class, () -> IceConfig.defaults(lo).withPorts(70_000, false, 0));
        assertThrows(IllegalArgumentException.class, () -> IceConfig.defaults(lo).withTimers(5_000, 5_000, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> IceConfig.defaults(lo).withTimers(0, 5_000, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> IceConfig.defaults(lo).withTimers(1, 5_000, 0, 0));
        IceConfig d = IceConfig.defaults(lo);
        assertEquals(10_000, d.udpPort());
        assertEquals(IceRole.CONTROLLED, d.role());
        assertEquals(30_000, d.consentTimeoutMs());
    }

    @Test
    void natMappingAdvertisesThePublicAddressAsServerReflexive() throws Exception {
        IceTestSupport.quietIce4j();
        // 203.0.113.0/24 is TEST-NET-3 (RFC 5737); it is only advertised, never contacted.
        InetAddress publicAddress = InetAddress.getByName("203.0.113.7");
        IceConfig config = IceTestSupport.loopbackConfig(true)
                .withNatMappings(List.of(new NatMapping(IceTestSupport.loopback(), publicAddress)));
        try (IceServer server = IceServer.start(config)) {
            IceTransport t = server.createTransport("behind-nat", new RecordingListener());
            int udpPort = server.udpAddresses().get(0).getPort();
            int tcpPort = server.tcpAddresses().get(0).getPort();
            CandidateDescription udpHost = null;
            CandidateDescription udpSrflx = null;
            CandidateDescription tcpSrflx = null;
            for (CandidateDescription c : t.localCandidates()) {
                if (c.protocol() == CandidateDescription.Protocol.UDP && c.type() == CandidateDescription.Type.HOST) {
                    udpHost = c;
                } else if (c.protocol() == CandidateDescription.Protocol.UDP) {
                    udpSrflx = c;
                } else if (c.type() == CandidateDescription.Type.SRFLX) {
                    tcpSrflx = c;
                }
            }
            assertNotNull(udpHost, t.localCandidates().toString());
            assertNotNull(udpSrflx, t.localCandidates().toString());
            assertEquals(CandidateDescription.Type.SRFLX, udpSrflx.type());
            assertEquals("203.0.113.7", udpSrflx.address());
            assertEquals(udpPort, udpSrflx.port());
            assertEquals("127.0.0.1", udpSrflx.relatedAddress());
            assertEquals(udpPort, udpSrflx.relatedPort());
            assertTrue(udpSrflx.priority() < udpHost.priority(), "host candidates are preferred (RFC 8445 §5.1.2.2)");
            assertNotNull(tcpSrflx, t.localCandidates().toString());
            assertEquals("203.0.113.7", tcpSrflx.address());
            assertEquals(tcpPort, tcpSrflx.port());
            assertEquals(CandidateDescription.TcpType.PASSIVE, tcpSrflx.tcpType());
        }
    }

    @Test
    void transportWithoutAPeerFailsAfterTheConnectTimeout() throws Exception {
        IceTestSupport.quietIce4j();
        IceConfig config = IceTestSupport.loopbackConfig(false).withTimers(200, 1_500, 500, 0);
        try (IceServer server = IceServer.start(config)) {
            RecordingListener events = new RecordingListener();
            IceTransport t = server.createTransport("lonely", events);
            t.setRemoteCredentials("peerufrag", "peerpasswordpeerpassword");
            long t0 = System.nanoTime();
            t.startConnectivityChecks();
            assertEquals(IceTransportState.CHECKING, t.state());
            IceTestSupport.await("connect timeout", 3_000, () -> events.failed != null);
            long afterMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(afterMs >= 450, "failed too early: " + afterMs);
            assertEquals(IceTransportState.FAILED, t.state());
            assertEquals(SendResult.NOT_CONNECTED, t.send(new byte[1], 0, 1));
            t.close();
            assertEquals(0, server.openTransports());
        }
    }
}
