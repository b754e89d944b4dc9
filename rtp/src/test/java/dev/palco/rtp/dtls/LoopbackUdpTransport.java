package dev.palco.rtp.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

import org.bouncycastle.tls.DatagramTransport;

/**
 * A {@link DatagramTransport} over a UDP socket bound to 127.0.0.1 and connected to one peer, for
 * tests. {@code receive} waits at most {@code waitMillis} and returns -1 when nothing arrived.
 * Optionally drops the first {@code dropFirstSends} datagrams it is asked to send, to simulate a
 * lost flight.
 */
public final class LoopbackUdpTransport implements DatagramTransport {
    private static final int MTU_BYTES = 1200;

    private final DatagramSocket socket;
    private int dropFirstSends;
    private int dropped;

    /** Binds an ephemeral port on 127.0.0.1. */
    public LoopbackUdpTransport() throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Our local address, to give to the peer. */
    public SocketAddress localAddress() {
        return socket.getLocalSocketAddress();
    }

    /** Sends to and only receives from {@code peer}. */
    public LoopbackUdpTransport connect(SocketAddress peer) throws IOException {
        socket.connect(peer);
        return this;
    }

    /** Drops the first {@code n} datagrams sent through this transport. */
    public LoopbackUdpTransport dropFirstSends(int n) {
        this.dropFirstSends = n;
        return this;
    }

    /** How many datagrams were dropped so far. */
    public int droppedCount() {
        return dropped;
    }

    @Override
    public int getReceiveLimit() {
        return MTU_BYTES;
    }

    @Override
    public int getSendLimit() {
        return MTU_BYTES;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (socket.isClosed()) {
            return -1;
        }
        socket.setSoTimeout(Math.max(1, waitMillis));
        DatagramPacket packet = new DatagramPacket(buf, off, len);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return packet.getLength();
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (dropped < dropFirstSends) {
            dropped++;
            return;
        }
        socket.send(new DatagramPacket(buf, off, len));
    }

    @Override
    public void close() {
        socket.close();
    }
}
