package dev.palco.sfu.transport;

import dev.palco.sfu.client.IceClientAgent;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Loopback fixtures shared by the ICE tests. */
public final class IceTestSupport {
    /** Held so the level sticks (JUL keeps loggers weakly). */
    private static final Logger ICE4J_LOG = Logger.getLogger("org.ice4j");
    private static final Logger JITSI_LOG = Logger.getLogger("org.jitsi");

    private IceTestSupport() {
    }

    /** ice4j logs every candidate and pair at INFO; 200 join/leave cycles would drown the output. */
    public static void quietIce4j() {
        ICE4J_LOG.setLevel(Level.WARNING);
        JITSI_LOG.setLevel(Level.WARNING);
    }

    /** @return 127.0.0.1 */
    public static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    /**
     * @param tcp whether to enable ICE-TCP
     * @return a loopback config on free ports, with short consent timers
     */
    public static IceConfig loopbackConfig(boolean tcp) {
        return IceConfig.defaults(List.of(loopback()))
                .withPorts(0, tcp, 0)
                .withTimers(200, 1_500, 10_000, 200);
    }

    /**
     * Exchanges credentials and candidates the way signaling would, then starts both sides.
     *
     * @param server server transport
     * @param client client agent
     */
    public static void signalAndStart(IceTransport server, IceClientAgent client) {
        IceCredentials s = server.localCredentials();
        IceCredentials c = client.localCredentials();
        client.setRemoteCredentials(s.ufrag(), s.pwd());
        for (CandidateDescription d : server.localCandidates()) {
            client.addRemoteCandidate(d);
        }
        server.setRemoteCredentials(c.ufrag(), c.pwd());
        // A browser's candidates are optional for the server: it learns the peer-reflexive address
        // from the checks. Trickle them anyway, as signaling would.
        for (CandidateDescription d : client.localCandidates()) {
            server.addRemoteCandidate(d);
        }
        server.endOfRemoteCandidates();
        client.start();
    }

    /**
     * Polls until the condition holds.
     *
     * @param what description for the failure message
     * @param timeoutMs deadline
     * @param condition the condition
     */
    public static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A receiver that copies every datagram into a queue, as the DTLS layer will. */
    public static final class QueueReceiver implements PacketReceiver {
        private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

        @Override
        public void onPacket(byte[] buf, int off, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            queue.add(copy);
        }

        /**
         * @param timeoutMs how long to wait
         * @return the next datagram
         * @throws InterruptedException if interrupted
         */
        public byte[] take(long timeoutMs) throws InterruptedException {
            byte[] b = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (b == null) {
                throw new AssertionError("no datagram within " + timeoutMs + " ms");
            }
            return b;
        }

        /** @return datagrams waiting */
        public int size() {
            return queue.size();
        }

        /** @return the next datagram or null */
        public byte[] poll() {
            return queue.poll();
        }

        /**
         * @param timeoutMs how long to wait
         * @return the next datagram, or null if none came in time
         * @throws InterruptedException if interrupted
         */
        public byte[] poll(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Records listener callbacks. */
    public static final class RecordingListener implements TransportListener {
        public volatile String connected;
        public volatile String restarted;
        public volatile String failed;
        public volatile boolean consentLost;
        public volatile boolean closed;
        public volatile long connectedNanos;

        @Override
        public void onConnected(String selectedPair) {
            connectedNanos = System.nanoTime();
            connected = selectedPair;
        }

        @Override
        public void onRestarted(String selectedPair) {
            restarted = selectedPair;
        }

        @Override
        public void onFailed(String reason) {
            failed = reason;
        }

        @Override
        public void onConsentLost() {
            consentLost = true;
        }

        @Override
        public void onClosed() {
            closed = true;
        }
    }

    /**
     * @param tag first byte, in the RTP range of RFC 7983 (128-191)
     * @param seq a sequence number written after it
     * @param len total length
     * @return a datagram with recognisable contents
     */
    public static byte[] datagram(int tag, int seq, int len) {
        byte[] b = new byte[len];
        b[0] = (byte) tag;
        b[1] = (byte) (seq >>> 8);
        b[2] = (byte) seq;
        for (int i = 3; i < len; i++) {
            b[i] = (byte) (i * 31 + seq);
        }
        return b;
    }

    /** @return the number of file descriptors this process holds open */
    public static int openFileDescriptors() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * @return the sockets this process holds open. Leak checks count sockets rather than all
     *     descriptors: loading a class from a jar not touched before opens that jar for good, which
     *     is not a leak but would look like one.
     */
    public static int openSockets() {
        int sockets = 0;
        for (String target : descriptorTargets()) {
            if (target.startsWith("socket:")) {
                sockets++;
            }
        }
        return sockets;
    }

    /** @return what each open descriptor of this process points to ("socket:[123]", "/path", ...) */
    private static java.util.List<String> descriptorTargets() {
        java.util.List<String> targets = new java.util.ArrayList<>();
        String[] fds = new java.io.File("/proc/self/fd").list();
        for (String fd : fds == null ? new String[0] : fds) {
            try {
                targets.add(java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd)).toString());
            } catch (java.io.IOException e) {
                // Closed while we looked.
            }
        }
        return targets;
    }

    /**
     * Sockets a leak test lets a run end above its start, counted with {@link #reachableSockets}:
     * only what something still holds counts, and a shared component may open one socket once
     * (IceLeakTest has ended one above its start).
     */
    public static final int SOCKET_SLACK = 2;

    /**
     * Sockets still open once unreachable ones are gone: runs the collector and reads the count
     * until three collections in a row leave it unchanged (at most 5 s). ice4j's delegating sockets
     * ({@code MultiplexedDatagramSocket}, one per remote address on the shared port) open an unbound
     * descriptor of their own in {@code java.net.DatagramSocket}'s constructor, and their
     * {@code close} never closes it. Since JDK 15 the JDK's Cleaner closes such a descriptor once
     * the socket object is collected, so the raw count depends on when the collector last ran.
     * Sockets that something still references stay open and are counted.
     *
     * @return the sockets this process holds open after the collector has run
     */
    public static int reachableSockets() {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        int last = -1;
        int unchanged = 0;
        while (System.nanoTime() < deadline) {
            // More than one collection: the Cleaner runs on its own thread after each, and an object
            // it frees may be what kept the next socket reachable.
            System.gc();
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
            int now = openSockets();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
            if (unchanged == 2) {
                break;
            }
        }
        return last;
    }

    /**
     * @return each socket this process holds open as "protocol local-address remote-address
     *     state", from the inodes of {@code /proc/self/fd} looked up in {@code /proc/self/net}; for
     *     failure messages, so that a leak names the sockets it left behind
     */
    public static java.util.List<String> describeSockets() {
        java.util.Map<String, String> byInode = new java.util.HashMap<>();
        for (String table : new String[] {"udp", "udp6", "tcp", "tcp6"}) {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            putInodes(byInode, table, 9, f -> table + " " + hexAddress(f[1]) + " " + hexAddress(f[2]) + " st=" + f[3]);
        }
        // Num RefCount Protocol Flags Type St Inode [Path]
        putInodes(byInode, "unix", 6, f -> "unix" + (f.length > 7 ? " " + f[7] : ""));
        // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
        putInodes(byInode, "netlink", 9, f -> "netlink");
        java.util.List<String> sockets = new java.util.ArrayList<>();
        for (String target : descriptorTargets()) {
            if (target.startsWith("socket:[")) {
                String inode = target.substring("socket:[".length(), target.length() - 1);
                // Not in any table: for example an unbound UDP socket, which the kernel lists nowhere.
                sockets.add(byInode.getOrDefault(inode, "other " + target));
            }
        }
        java.util.Collections.sort(sockets);
        return sockets;
    }

    /** Maps each row's inode in {@code /proc/self/net/<table>} to {@code describe} of its columns. */
    private static void putInodes(java.util.Map<String, String> byInode, String table, int inodeColumn,
            java.util.function.Function<String[], String> describe) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/net", table));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > inodeColumn) {
                    byInode.put(f[inodeColumn], describe.apply(f));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // A table this kernel does not have.
        }
    }

    /**
     * A {@code /proc/net} address, "0100007F:2710" or the 32-digit IPv6 form, as "127.0.0.1:10000".
     * The kernel prints each 32-bit word of the address in host byte order, little-endian on the
     * machines we run on; an IPv4-mapped IPv6 address comes out as its IPv4 address.
     */
    static String hexAddress(String field) {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        int port = Integer.parseInt(field.substring(colon + 1), 16);
        byte[] address = new byte[hex.length() / 2];
        for (int word = 0; word < address.length / 4; word++) {
            int value = Integer.reverseBytes((int) Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16));
            for (int i = 0; i < 4; i++) {
                address[word * 4 + i] = (byte) (value >>> (24 - 8 * i));
            }
        }
        try {
            java.net.InetAddress a = java.net.InetAddress.getByAddress(address);
            return (a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress()) + ":" + port;
        } catch (java.net.UnknownHostException e) {
            return field;
        }
    }

    /** @return open file descriptors counted by kind (socket, pipe, anon_inode, file), for failure messages */
    public static String describeFileDescriptors() {
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (String target : descriptorTargets()) {
            int colon = target.indexOf(':');
            kinds.merge(target.startsWith("/") ? "file" : colon > 0 ? target.substring(0, colon) : target, 1, Integer::sum);
        }
        return kinds.toString();
    }

    /**
     * @return live threads, leaving out ice4j's process-wide pools (threads named {@code ice4j.…}).
     *     Those pools are shared by every agent, grow with concurrent work and shrink only after
     *     their idle keep-alive of a minute, so they say nothing about a session leaking threads.
     */
    public static int threadsOutsideIce4jPools() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !t.getName().startsWith("ice4j.")) {
                n++;
            }
        }
        return n;
    }
}
