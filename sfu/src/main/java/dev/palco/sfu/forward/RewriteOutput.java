package dev.palco.sfu.forward;

/**
 * The outgoing header values {@link RtpRewriter} computed for one packet. Caller-owned and reused
 * for every packet so that rewriting allocates nothing; valid until the next call that fills it.
 */
public final class RewriteOutput {

    long ssrc;
    int sequenceNumber;
    long timestamp;
    int pictureId = RtpRewriter.NO_PICTURE_ID;
    int tl0PicIdx = RtpRewriter.NO_TL0PICIDX;
    boolean sourceSwitched;
    boolean outOfOrder;

    /** Outgoing SSRC (fixed per rewriter). */
    public long ssrc() {
        return ssrc;
    }

    /** Outgoing 16-bit sequence number. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** Outgoing 32-bit RTP timestamp. */
    public long timestamp() {
        return timestamp;
    }

    /** Outgoing 15-bit VP8 picture ID, or {@link RtpRewriter#NO_PICTURE_ID}. */
    public int pictureId() {
        return pictureId;
    }

    /** Outgoing 8-bit VP8 TL0PICIDX, or {@link RtpRewriter#NO_TL0PICIDX}. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }

    /** Whether this packet started a new source segment (a switch, a resync, or the very first packet). */
    public boolean sourceSwitched() {
        return sourceSwitched;
    }

    /** Whether this packet filled an earlier outgoing slot (it arrived out of order or late). */
    public boolean outOfOrder() {
        return outOfOrder;
    }

    void set(long ssrc, long outExtSeq, long timestamp, int pictureId, int tl0PicIdx, boolean switched,
            boolean outOfOrder) {
        this.ssrc = ssrc;
        this.sequenceNumber = (int) (outExtSeq & 0xFFFF);
        this.timestamp = timestamp;
        this.pictureId = pictureId;
        this.tl0PicIdx = tl0PicIdx;
        this.sourceSwitched = switched;
        this.outOfOrder = outOfOrder;
    }
}
