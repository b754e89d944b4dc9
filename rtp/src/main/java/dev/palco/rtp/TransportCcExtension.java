package dev.palco.rtp;

/**
 * Transport-wide sequence number, draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: a 16-bit
 * sequence number shared by every stream on the transport, which transport-cc feedback reports.
 *
 * <pre>
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  transport-wide sequence no.  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>An SFU that terminates congestion control rewrites this in place on every forwarded packet:
 * find the element once with a {@link HeaderExtensionCursor}, then {@link #write} into it.
 * Compare and unwrap values with {@link RtpSequence} and {@link SequenceUnwrapper}.
 */
public final class TransportCcExtension {
    /** SDP {@code a=extmap} URI. */
    public static final String URI =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    /** Size of the extension data. */
    public static final int DATA_SIZE_BYTES = 2;

    private TransportCcExtension() {
    }

    /** Whether an element's data length is one this class can read. */
    public static boolean isValidLength(int dataLength) {
        return dataLength == DATA_SIZE_BYTES;
    }

    /** The transport-wide sequence number, 0..65535. */
    public static int sequenceNumber(byte[] buf, int dataOffset) {
        return RtpPacket.readUint16(buf, dataOffset);
    }

    /**
     * Writes the low 16 bits of {@code sequenceNumber} at {@code buf[off]}.
     *
     * @return {@link #DATA_SIZE_BYTES}
     */
    public static int write(byte[] buf, int off, int sequenceNumber) {
        RtpPacket.writeUint16(buf, off, sequenceNumber);
        return DATA_SIZE_BYTES;
    }
}
