package dev.palco.sfu.feedback;

/**
 * Folds the keyframe requests of any number of subscribers into a paced series of PLIs (or FIRs)
 * toward one publisher stream.
 *
 * <p>Every subscriber that joins, switches layer or loses its decoder state asks for a keyframe;
 * forwarding each request would make the publisher's encoder emit keyframe after keyframe. Here a
 * request only marks the stream as needing a keyframe. {@link #pollDue} then says to send one
 * request, repeats it every {@code max(minIntervalMs, 1.5 × RTT)} (a keyframe cannot arrive sooner
 * than one RTT plus encoding time) until {@link #onKeyframe} reports that a keyframe arrived, and
 * gives up after {@code maxAttempts}. At most one request goes out per interval, so a hundred
 * subscribers asking in the same instant produce one PLI.
 *
 * <p>A publisher that negotiated only {@code ccm fir} (RFC 5104 §7.1) gets FIRs instead of PLIs.
 * RFC 5104 §4.3.1.1: the FIR "Seq nr." is incremented by one for each new request, and a
 * repetition of the same request reuses it, so the publisher can tell a retry from a new request.
 *
 * <p>Thread-safe: subscribers' RTCP threads call {@link #request}, the publisher's side calls
 * {@link #pollDue} and {@link #onKeyframe}; each holds the monitor for a few instructions.
 */
public final class KeyframeRequester {

    /** Default minimum spacing of requests. */
    public static final long DEFAULT_MIN_INTERVAL_MS = 300;
    /** Default number of requests sent for one need before giving up. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;

    private static final long NEVER = Long.MIN_VALUE;

    private final boolean firOnly;
    private final long minIntervalMs;
    private final int maxAttempts;

    private long rttMs;
    private boolean pending;
    private int attempts;
    private long lastSentMs = NEVER;
    /** FIR sequence number of the current request; the first request uses 0. */
    private int firSeqNr = 0xFF;

    private long requestsReceived;
    private long plisSent;
    private long firsSent;
    private long keyframesReceived;
    private long givenUp;

    /**
     * @param firOnly       send FIR rather than PLI (the publisher negotiated only {@code ccm fir})
     * @param minIntervalMs minimum spacing of requests
     * @param maxAttempts   requests sent for one need before giving up (at least 1)
     */
    public KeyframeRequester(boolean firOnly, long minIntervalMs, int maxAttempts) {
        if (minIntervalMs <= 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("minIntervalMs=" + minIntervalMs + " maxAttempts=" + maxAttempts);
        }
        this.firOnly = firOnly;
        this.minIntervalMs = minIntervalMs;
        this.maxAttempts = maxAttempts;
    }

    /** A PLI requester with the default interval and cap. */
    public static KeyframeRequester withDefaults() {
        return new KeyframeRequester(false, DEFAULT_MIN_INTERVAL_MS, DEFAULT_MAX_ATTEMPTS);
    }

    /** A subscriber (or the SFU itself) needs a keyframe. Cheap; call as often as needed. */
    public synchronized void request(long nowMs) {
        requestsReceived++;
        if (!pending) {
            pending = true;
            attempts = 0;
        }
    }

    /**
     * Whether to send a request now, and which kind. When the answer is not
     * {@link KeyframeRequestKind#NONE}, the caller must send it: it is counted as sent.
     */
    public synchronized KeyframeRequestKind pollDue(long nowMs) {
        if (!pending) {
            return KeyframeRequestKind.NONE;
        }
        if (lastSentMs != NEVER && nowMs - lastSentMs < intervalMs()) {
            return KeyframeRequestKind.NONE;
        }
        if (attempts >= maxAttempts) {
            // The last request had its interval to be answered; the publisher is not responding.
            pending = false;
            givenUp++;
            return KeyframeRequestKind.NONE;
        }
        attempts++;
        lastSentMs = nowMs;
        if (firOnly) {
            if (attempts == 1) {
                firSeqNr = (firSeqNr + 1) & 0xFF;
            }
            firsSent++;
            return KeyframeRequestKind.FIR;
        }
        plisSent++;
        return KeyframeRequestKind.PLI;
    }

    /** A keyframe from the publisher arrived: the pending need, if any, is met. */
    public synchronized void onKeyframe(long nowMs) {
        keyframesReceived++;
        pending = false;
        attempts = 0;
    }

    /** Sets the round-trip time toward the publisher, which lengthens the interval on slow paths. */
    public synchronized void setRttMs(long rttMs) {
        if (rttMs >= 0) {
            this.rttMs = rttMs;
        }
    }

    /** The current spacing of requests. */
    public synchronized long intervalMs() {
        return Math.max(minIntervalMs, rttMs + rttMs / 2);
    }

    /** Whether a keyframe is still needed. */
    public synchronized boolean isPending() {
        return pending;
    }

    /** The 8-bit FIR sequence number to put in the FCI of the FIR just returned by {@link #pollDue}. */
    public synchronized int firSequenceNumber() {
        return firSeqNr;
    }

    /** Calls to {@link #request}. */
    public synchronized long requestsReceived() {
        return requestsReceived;
    }

    /** PLIs {@link #pollDue} asked to send. */
    public synchronized long plisSent() {
        return plisSent;
    }

    /** FIRs {@link #pollDue} asked to send. */
    public synchronized long firsSent() {
        return firsSent;
    }

    /** Keyframes reported. */
    public synchronized long keyframesReceived() {
        return keyframesReceived;
    }

    /** Needs abandoned after {@code maxAttempts} unanswered requests. */
    public synchronized long givenUp() {
        return givenUp;
    }
}
