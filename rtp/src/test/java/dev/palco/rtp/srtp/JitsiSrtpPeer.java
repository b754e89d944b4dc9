package dev.palco.rtp.srtp;

import java.util.Arrays;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;

/**
 * jitsi-srtp keyed with one master key and salt, as the other end of the interoperability tests:
 * a sending and a receiving context factory, and calls that run its contexts on a packet placed at
 * a fixed offset in the caller's array (the length they leave is {@link #lastLength()}).
 */
final class JitsiSrtpPeer implements AutoCloseable {
    private final SrtpContextFactory send;
    private final SrtpContextFactory receive;
    private final int offset;
    private final MutableByteArrayBuffer view = new MutableByteArrayBuffer();
    private int lastLength;

    JitsiSrtpPeer(SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int offset) {
        SrtpPolicy policy = SrtpSupport.policyFor(profile);
        this.send = new SrtpContextFactory(true, masterKey.clone(), masterSalt.clone(), policy,
                policy, SrtpSupport.LOGGER);
        this.receive = new SrtpContextFactory(false, masterKey.clone(), masterSalt.clone(), policy,
                policy, SrtpSupport.LOGGER);
        this.offset = offset;
    }

    SrtpCryptoContext rtpSender(int ssrc) throws Exception {
        return send.deriveContext(ssrc, 0);
    }

    SrtpCryptoContext rtpReceiver(int ssrc) throws Exception {
        return receive.deriveContext(ssrc, 0);
    }

    SrtcpCryptoContext rtcpSender(int ssrc) throws Exception {
        return send.deriveControlContext(ssrc);
    }

    SrtcpCryptoContext rtcpReceiver(int ssrc) throws Exception {
        return receive.deriveControlContext(ssrc);
    }

    /** Protects or unprotects the RTP packet of {@code len} bytes at the offset. */
    SrtpErrorStatus run(SrtpCryptoContext context, byte[] buf, int len, boolean protect)
            throws Exception {
        view.wrap(buf, offset, len);
        try {
            return protect ? context.transformPacket(view)
                    : context.reverseTransformPacket(view, false);
        } finally {
            lastLength = view.getLength();
            view.clear();
        }
    }

    /** Protects or unprotects the RTCP packet of {@code len} bytes at the offset. */
    SrtpErrorStatus run(SrtcpCryptoContext context, byte[] buf, int len, boolean protect)
            throws Exception {
        view.wrap(buf, offset, len);
        try {
            return protect ? context.transformPacket(view) : context.reverseTransformPacket(view);
        } finally {
            lastLength = view.getLength();
            view.clear();
        }
    }

    /** The packet length the last {@link #run} left. */
    int lastLength() {
        return lastLength;
    }

    /** {@code packet} at {@code offset} in an array with room for any trailer, filled with 0x5A. */
    static byte[] placed(byte[] packet, int offset) {
        byte[] buf = new byte[offset + packet.length + 32];
        Arrays.fill(buf, (byte) 0x5A);
        System.arraycopy(packet, 0, buf, offset, packet.length);
        return buf;
    }

    @Override
    public void close() {
        send.close();
        receive.close();
    }
}
