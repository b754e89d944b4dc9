package dev.palco.sfu.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.DemuxDropReason;

/**
 * {@link SrtpInbound}: media before the handshake is dropped, media during it is held and handed
 * over in arrival order before any later packet, the hold is bounded, close and unsecure end it, and
 * decryption failures and receiver failures are counted, not thrown.
 */
class SrtpInboundTest {
    private static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final int BUFFER_BYTES = 1600;

    private final byte[] serverKey = filled(PROFILE.masterKeyLengthBytes(), 1);
    private final byte[] serverSalt = filled(PROFILE.masterSaltLengthBytes(), 2);
    private final byte[] clientKey = filled(PROFILE.masterKeyLengthBytes(), 3);
    private final byte[] clientSalt = filled(PROFILE.masterSaltLengthBytes(), 4);
    /** What the server protects with. */
    private final SrtpSession server = SrtpSession.create(PROFILE, serverKey, serverSalt, clientKey, clientSalt, 4);
    /** The client's keys: its receiver unprotects what {@link #server} sends. */
    private final SrtpSession client = SrtpSession.create(PROFILE, clientKey, clientSalt, serverKey, serverSalt, 4);
    private final DemuxCounters demux = new DemuxCounters();
    private final SrtpInbound inbound = new SrtpInbound(demux);
    /** Sequence numbers (RTP) or -1 (RTCP) of what reached the receiver, in order. */
    private final List<Integer> delivered = new ArrayList<>();

    SrtpInboundTest() {
        inbound.setReceiver((buf, off, len, rtcp, arrivalNanos) ->
                delivered.add(rtcp ? -1 : ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF)));
    }

    @AfterEach
    void closeSessions() {
        server.close();
        client.close();
    }

    @Test
    void mediaBeforeTheHandshakeBeganIsDropped() {
        deliverRtp(1);
        assertEquals(0, inbound.heldPackets());
        assertEquals(1, demux.dropped(DemuxDropReason.NOT_SECURED));
        assertTrue(delivered.isEmpty());
    }

    @Test
    void heldMediaIsDeliveredInOrderBeforeLaterPackets() {
        inbound.beginHandshake();
        deliverRtp(10);
        deliverRtcp();
        deliverRtp(11);
        assertEquals(3, inbound.heldPackets());
        assertTrue(delivered.isEmpty());
        assertFalse(inbound.isSecured());

        assertTrue(inbound.release(client));
        assertTrue(inbound.isSecured());
        assertEquals(0, inbound.heldPackets());
        deliverRtp(12);
        assertEquals(List.of(10, -1, 11, 12), delivered);
        assertEquals(3, inbound.rtpReceived());
        assertEquals(1, inbound.rtcpReceived());
        assertEquals(3, demux.rtpPackets());
        assertEquals(1, demux.rtcpPackets());
        assertEquals(0, demux.droppedTotal());
    }

    @Test
    void theHoldTakesAtMostItsPacketsAndItsSize() {
        inbound.beginHandshake();
        for (int seq = 0; seq < SrtpInbound.EARLY_MEDIA_PACKETS + 5; seq++) {
            deliverRtp(seq);
        }
        byte[] oversized = new byte[SrtpInbound.EARLY_MEDIA_BYTES + 1];
        oversized[0] = (byte) 0x80;
        inbound.deliver(oversized, 0, oversized.length, false, 0);
        assertEquals(SrtpInbound.EARLY_MEDIA_PACKETS, inbound.heldPackets());
        assertEquals(6, demux.dropped(DemuxDropReason.NOT_SECURED));

        inbound.release(client);
        assertEquals(SrtpInbound.EARLY_MEDIA_PACKETS, delivered.size());
        for (int i = 0; i < delivered.size(); i++) {
            assertEquals(i, delivered.get(i));
        }
    }

    @Test
    void closeDropsWhatIsHeldAndAReleaseAfterItDeliversNothing() {
        inbound.beginHandshake();
        deliverRtp(1);
        deliverRtp(2);
        inbound.close();
        assertEquals(0, inbound.heldPackets());
        assertEquals(2, demux.dropped(DemuxDropReason.NOT_SECURED));

        assertFalse(inbound.release(client));
        assertFalse(inbound.isSecured());
        deliverRtp(3);
        assertTrue(delivered.isEmpty());
        assertEquals(3, demux.dropped(DemuxDropReason.NOT_SECURED));
        inbound.close(); // idempotent
        assertEquals(3, demux.dropped(DemuxDropReason.NOT_SECURED));
    }

    @Test
    void afterUnsecureMediaIsDroppedNotHeld() {
        inbound.beginHandshake();
        inbound.release(client);
        deliverRtp(1);
        inbound.unsecure();
        assertFalse(inbound.isSecured());
        deliverRtp(2);
        assertEquals(List.of(1), delivered);
        assertEquals(0, inbound.heldPackets());
        assertEquals(1, demux.dropped(DemuxDropReason.NOT_SECURED));
    }

    @Test
    void aTamperedPacketIsCountedByStatusAndNotDelivered() {
        inbound.beginHandshake();
        inbound.release(client);
        byte[] buf = new byte[BUFFER_BYTES];
        int len = protectRtp(buf, 5);
        byte[] intact = Arrays.copyOf(buf, BUFFER_BYTES);
        buf[len - 1] ^= 1; // the last byte of the GCM tag (RFC 7714 §8.2)
        inbound.deliver(buf, 0, len, false, 0);
        assertTrue(delivered.isEmpty());
        assertEquals(1, inbound.unprotectFailures(SrtpStatus.AUTH_FAIL));
        assertEquals(1, inbound.unprotectFailures());

        // The same packet again, intact, still decrypts: a failed packet leaves the context as it was.
        inbound.deliver(intact, 0, len, false, 0);
        assertEquals(List.of(5), delivered);
    }

    @Test
    void withoutAReceiverOrWithAFailingOneTheDropIsCounted() {
        inbound.beginHandshake();
        inbound.release(client);
        inbound.setReceiver(null);
        deliverRtp(1);
        assertEquals(1, demux.dropped(DemuxDropReason.NO_MEDIA_RECEIVER));
        inbound.setReceiver((buf, off, len, rtcp, arrivalNanos) -> {
            throw new IllegalStateException("receiver bug");
        });
        deliverRtp(2);
        assertEquals(1, demux.dropped(DemuxDropReason.MEDIA_RECEIVER_FAILED));
    }

    @Test
    void decryptsInPlaceToThePlainPacket() {
        inbound.beginHandshake();
        inbound.release(client);
        byte[] plain = new byte[BUFFER_BYTES];
        int plainLen = writeRtp(plain, 77);
        byte[] buf = Arrays.copyOf(plain, BUFFER_BYTES);
        assertEquals(SrtpStatus.OK, server.sender().protectRtp(buf, 0, plainLen));
        int len = server.sender().lengthBytes();
        byte[][] seen = new byte[1][];
        inbound.setReceiver((b, off, l, rtcp, arrivalNanos) -> seen[0] = Arrays.copyOfRange(b, off, off + l));
        inbound.deliver(buf, 0, len, false, 0);
        assertArrayEquals(Arrays.copyOf(plain, plainLen), seen[0]);
    }

    private void deliverRtp(int seq) {
        byte[] buf = new byte[BUFFER_BYTES];
        inbound.deliver(buf, 0, protectRtp(buf, seq), false, System.nanoTime());
    }

    private void deliverRtcp() {
        byte[] buf = new byte[BUFFER_BYTES];
        // RFC 3550 §6.4.2: empty receiver report: V=2, RC=0 | PT=201 | length 1 | SSRC 0x0000BEEF.
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, (byte) 0xBE, (byte) 0xEF};
        System.arraycopy(rr, 0, buf, 0, rr.length);
        assertEquals(SrtpStatus.OK, server.sender().protectRtcp(buf, 0, rr.length));
        inbound.deliver(buf, 0, server.sender().lengthBytes(), true, System.nanoTime());
    }

    private int protectRtp(byte[] buf, int seq) {
        int plainLen = writeRtp(buf, seq);
        assertEquals(SrtpStatus.OK, server.sender().protectRtp(buf, 0, plainLen));
        return server.sender().lengthBytes();
    }

    /** RFC 3550 §5.1: V=2 | PT 96 | sequence number | timestamp | SSRC 0x0000CAFE, then 100 payload bytes. */
    private static int writeRtp(byte[] buf, int seq) {
        Arrays.fill(buf, 0, 112, (byte) 0);
        buf[0] = (byte) 0x80;               // V=2, P=0, X=0, CC=0
        buf[1] = 96;                        // M=0, PT=96
        buf[2] = (byte) (seq >>> 8);        // sequence number
        buf[3] = (byte) seq;
        buf[7] = (byte) seq;                // timestamp (low byte)
        buf[10] = (byte) 0xCA;              // SSRC
        buf[11] = (byte) 0xFE;
        for (int i = 12; i < 112; i++) {
            buf[i] = (byte) i;              // payload
        }
        return 112;
    }

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
