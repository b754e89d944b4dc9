package dev.palco.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The socket accounting that the leak tests rely on. */
class IceTestSupportTest {

    @Test
    void procNetAddressesReadAsAddresses() {
        assertEquals("127.0.0.1:10000", IceTestSupport.hexAddress("0100007F:2710"));
        // IPv4-mapped, as a dual-stack socket bound to 127.0.0.1 shows in /proc/net/udp6.
        assertEquals("127.0.0.1:45854", IceTestSupport.hexAddress("0000000000000000FFFF00000100007F:B31E"));
        assertEquals("[0:0:0:0:0:0:0:1]:53", IceTestSupport.hexAddress("00000000000000000000000001000000:0035"));
        assertEquals("0.0.0.0:0", IceTestSupport.hexAddress("00000000:0000"));
    }

    @Test
    void describeSocketsNamesABoundSocket() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            String expected = "127.0.0.1:" + socket.getLocalPort() + " ";
            assertTrue(IceTestSupport.describeSockets().stream().anyMatch(s -> s.startsWith("udp") && s.contains(expected)),
                    () -> expected + " not in " + IceTestSupport.describeSockets());
        }
    }

    @Test
    void reachableSocketsLeavesOutWhatOnlyTheCleanerWouldClose() throws Exception {
        // The JVM's first DatagramSocket leaves one unbound socket open for the JDK's own use.
        new DatagramSocket((SocketAddress) null).close();
        int before = IceTestSupport.reachableSockets();
        try (DatagramSocket kept = new DatagramSocket((SocketAddress) null)) {
            List<DatagramSocket> unclosed = openSockets(5);
            assertEquals(before + 6, IceTestSupport.openSockets());
            // Dropped without a close, as ice4j drops its STUN wrapper's own descriptor.
            unclosed.clear();
            assertEquals(before + 1, IceTestSupport.reachableSockets(), "only the socket still referenced counts");
        }
        assertEquals(before, IceTestSupport.reachableSockets());
    }

    @SuppressWarnings("resource")
    private static List<DatagramSocket> openSockets(int count) throws Exception {
        List<DatagramSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(new DatagramSocket((SocketAddress) null));
        }
        return sockets;
    }
}
