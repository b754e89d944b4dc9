package dev.palco.sfu.client;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.IceTestSupport.datagram;
import static dev.palco.sfu.transport.IceTestSupport.signalAndStart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.IceTestSupport;
import dev.palco.sfu.transport.IceTestSupport.QueueReceiver;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import dev.palco.sfu.transport.IceTransport;
import dev.palco.sfu.transport.IceTransportState;
import dev.palco.sfu.transport.SendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ICE-TCP (RFC 6544): a client that can only use TCP reaches the server's passive candidate. */
class IceTcpFallbackTest {
    private static IceServer server;

    @BeforeAll
    static void startServer() throws Exception {
        IceTestSupport.quietIce4j();
        server = IceServer.start(IceTestSupport.loopbackConfig(true));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void serverOffersPassiveTcpCandidatesNextToUdp() throws Exception {
        IceTransport transport = server.createTransport("offer", new RecordingListener());
        try {
            boolean udp = false;
            boolean tcpPassive = false;
            for (CandidateDescription c : transport.localCandidates()) {
                udp |= c.protocol() == CandidateDescription.Protocol.UDP
                        && c.port() == server.udpAddresses().get(0).getPort();
                tcpPassive |= c.protocol() == CandidateDescription.Protocol.TCP
                        && c.tcpType() == CandidateDescription.TcpType.PASSIVE
                        && c.port() == server.tcpAddresses().get(0).getPort();
            }
            assertTrue(udp && tcpPassive, transport.localCandidates().toString());
        } finally {
            transport.close();
        }
    }

    @Test
    void tcpOnlyClientConnectsAndDatagramsFlowBothWays() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        IceTransport transport = server.createTransport("tcp-user", serverEvents);
        IceClientAgent client = IceClientAgent.create("tcp-client",
                IceClientOptions.of(IceClientOptions.Mode.TCP, IceTestSupport.loopback())
                        .withTimers(200, 1_500, 10_000, 200), clientEvents);
        try {
            QueueReceiver atServer = new QueueReceiver();
            QueueReceiver atClient = new QueueReceiver();
            transport.setReceiver(atServer);
            client.setReceiver(atClient);
            long t0 = System.nanoTime();
            signalAndStart(transport, client);
            await("connected over TCP", 5_000, () -> serverEvents.connected != null && clientEvents.connected != null);
            System.out.printf("ICE/TCP connect: %d ms, pair %s%n",
                    (Math.max(serverEvents.connectedNanos, clientEvents.connectedNanos) - t0) / 1_000_000,
                    serverEvents.connected);
            assertTrue(serverEvents.connected.contains("/tcp"), serverEvents.connected);
            assertEquals(IceTransportState.CONNECTED, transport.state());
            for (int i = 0; i < 50; i++) {
                byte[] up = datagram(0x80, i, 100 + i * 20);
                assertEquals(SendResult.SENT, client.send(up, 0, up.length));
                assertArrayEquals(up, atServer.take(2_000));
                byte[] down = datagram(0x81, i, 1_400 - i * 7);
                assertEquals(SendResult.SENT, transport.send(down, 0, down.length));
                assertArrayEquals(down, atClient.take(2_000));
            }
            // Consent freshness runs over the TCP connection too.
            long accepted = transport.counters().consentResponsesAccepted();
            await("consent over TCP", 3_000, () -> transport.counters().consentResponsesAccepted() > accepted + 1);
        } finally {
            client.close();
            transport.close();
        }
    }
}
