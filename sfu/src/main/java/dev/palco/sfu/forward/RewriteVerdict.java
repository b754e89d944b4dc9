package dev.palco.sfu.forward;

/** What {@link RtpRewriter#rewrite} decided for one incoming packet. */
public enum RewriteVerdict {
    /** Send it, with the header values left in the {@link RewriteOutput}. */
    FORWARD,
    /** Already forwarded (or dropped on request) once: a duplicate or a second retransmission. */
    DROP_DUPLICATE,
    /** Older than the rewriter's window: its outgoing slot is no longer known. */
    DROP_TOO_OLD,
    /**
     * Belongs before the current source's first forwarded packet (a late packet of the previous
     * source or from before a resync): forwarding it would make the outgoing stream jump back.
     */
    DROP_BEFORE_SWITCH
}
