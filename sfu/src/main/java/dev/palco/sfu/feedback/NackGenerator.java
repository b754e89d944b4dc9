package dev.palco.sfu.feedback;

import dev.palco.sfu.util.RtpWrap;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Decides which packets of one publisher stream to request again with a Generic NACK
 * (RFC 4585 §6.2.1) and when.
 *
 * <p>It follows the extended highest sequence number. When a packet arrives beyond the next
 * expected one, the numbers in between are recorded as missing; when a missing one arrives (late,
 * or recovered through RTX, RFC 4588) it is removed. {@link #collectDue} returns the numbers to
 * request now:
 * <ul>
 *   <li>the first request waits {@code reorderDelayMs}, since a packet that is merely reordered
 *       usually arrives within a few milliseconds;</li>
 *   <li>a repeated request waits {@code max(rttMs, minRetryIntervalMs)}: asking again before the
 *       retransmission could have come back only wastes the publisher's uplink;</li>
 *   <li>a packet is requested at most {@code maxNacksPerPacket} times, and given up once older
 *       than {@code maxAgeMs} (by then the receivers' jitter buffers have moved on).</li>
 * </ul>
 * The list is bounded ({@code maxMissingPackets}; the oldest entries are given up first). A jump
 * larger than {@code resetJumpPackets} in either direction (a new sender, or a sequence reset) is
 * not loss: the list is cleared and tracking restarts at the new number, instead of requesting
 * tens of thousands of packets.
 *
 * <p>Missing numbers are kept sorted in primitive arrays, so nothing is allocated per packet.
 * Not thread-safe: confine to the stream's receive thread (which also runs the NACK timer), except
 * {@link #setRttMs(long)}, which any thread may call.
 */
public final class NackGenerator {

    /** Default wait before the first request: covers ordinary network reordering. */
    public static final long DEFAULT_REORDER_DELAY_MS = 10;
    /** Default lower bound on the spacing of repeated requests. */
    public static final long DEFAULT_MIN_RETRY_INTERVAL_MS = 20;
    /** Default number of requests for one packet (libwebrtc's NACK module also stops at 10). */
    public static final int DEFAULT_MAX_NACKS_PER_PACKET = 10;
    /** Default age after which a missing packet is given up. */
    public static final long DEFAULT_MAX_AGE_MS = 1000;
    /** Default bound on the missing list. */
    public static final int DEFAULT_MAX_MISSING_PACKETS = 1000;
    /** Default jump treated as a reset: RFC 3550 Appendix A.1's MAX_DROPOUT. */
    public static final int DEFAULT_RESET_JUMP_PACKETS = 3000;
    /** RTT assumed until {@link #setRttMs(long)} is called. */
    public static final long DEFAULT_RTT_MS = 100;

    private static final long NEVER = Long.MIN_VALUE;

    private final long reorderDelayMs;
    private final long minRetryIntervalMs;
    private final int maxNacksPerPacket;
    private final long maxAgeMs;
    private final int maxMissing;
    private final int resetJumpPackets;

    private final long[] missingExt;
    private final long[] detectedMs;
    private final long[] lastNackMs;
    private final int[] nacksSent;
    private int missingCount;

    private volatile long rttMs = DEFAULT_RTT_MS;
    private boolean started;
    private long highestExt;

    private long packetsMissed;
    private long nacksRequested;
    private long recovered;
    private long givenUp;
    private long resets;

    /**
     * @param reorderDelayMs     wait before the first request for a missing packet
     * @param minRetryIntervalMs lower bound on the spacing of repeated requests
     * @param maxNacksPerPacket  most requests for one packet (at least 1)
     * @param maxAgeMs           age (since the gap was seen) after which a packet is given up
     * @param maxMissingPackets  bound on the missing list
     * @param resetJumpPackets   a sequence jump larger than this clears the list (at most 32767)
     */
    public NackGenerator(long reorderDelayMs, long minRetryIntervalMs, int maxNacksPerPacket, long maxAgeMs,
            int maxMissingPackets, int resetJumpPackets) {
        if (reorderDelayMs < 0 || minRetryIntervalMs <= 0 || maxNacksPerPacket < 1 || maxAgeMs <= 0
                || maxMissingPackets < 1 || resetJumpPackets < 1 || resetJumpPackets > Short.MAX_VALUE) {
            throw new IllegalArgumentException("invalid NACK configuration");
        }
        this.reorderDelayMs = reorderDelayMs;
        this.minRetryIntervalMs = minRetryIntervalMs;
        this.maxNacksPerPacket = maxNacksPerPacket;
        this.maxAgeMs = maxAgeMs;
        this.maxMissing = maxMissingPackets;
        this.resetJumpPackets = resetJumpPackets;
        this.missingExt = new long[maxMissingPackets];
        this.detectedMs = new long[maxMissingPackets];
        this.lastNackMs = new long[maxMissingPackets];
        this.nacksSent = new int[maxMissingPackets];
    }

    /** A generator with the default timings and bounds. */
    public static NackGenerator withDefaults() {
        return new NackGenerator(DEFAULT_REORDER_DELAY_MS, DEFAULT_MIN_RETRY_INTERVAL_MS,
                DEFAULT_MAX_NACKS_PER_PACKET, DEFAULT_MAX_AGE_MS, DEFAULT_MAX_MISSING_PACKETS,
                DEFAULT_RESET_JUMP_PACKETS);
    }

    /**
     * Records the arrival of a packet (original sequence number; for RTX, the OSN of RFC 4588 §4).
     *
     * @return {@code true} if it was missing, i.e. a late or retransmitted packet filled a hole
     */
    public boolean onPacket(int seq, long nowMs) {
        seq &= RtpWrap.SEQ_MASK;
        if (!started) {
            started = true;
            highestExt = seq;
            return false;
        }
        long ext = RtpWrap.extendSeq(highestExt, seq);
        long delta = ext - highestExt;
        if (delta > resetJumpPackets || delta < -resetJumpPackets) {
            resets++;
            givenUp += missingCount;
            missingCount = 0;
            highestExt = ext;
            return false;
        }
        if (delta > 0) {
            long first = highestExt + 1;
            if (delta - 1 > maxMissing) {
                long skipped = delta - 1 - maxMissing;
                givenUp += skipped;
                packetsMissed += skipped;
                first = ext - maxMissing;
            }
            // Make room in one move rather than shifting the list once per new entry.
            long overflow = missingCount + (ext - first) - maxMissing;
            if (overflow > 0) {
                removeOldest((int) overflow);
                givenUp += overflow;
            }
            for (long e = first; e < ext; e++) {
                appendMissing(e, nowMs);
            }
            highestExt = ext;
            return false;
        }
        if (delta == 0) {
            return false;
        }
        int index = Arrays.binarySearch(missingExt, 0, missingCount, ext);
        if (index < 0) {
            return false;
        }
        removeAt(index);
        recovered++;
        return true;
    }

    private void appendMissing(long ext, long nowMs) {
        int i = missingCount++;
        missingExt[i] = ext;
        detectedMs[i] = nowMs;
        lastNackMs[i] = NEVER;
        nacksSent[i] = 0;
        packetsMissed++;
    }

    /** Gives up the {@code n} oldest entries: they have the least chance of being useful. */
    private void removeOldest(int n) {
        int tail = missingCount - n;
        System.arraycopy(missingExt, n, missingExt, 0, tail);
        System.arraycopy(detectedMs, n, detectedMs, 0, tail);
        System.arraycopy(lastNackMs, n, lastNackMs, 0, tail);
        System.arraycopy(nacksSent, n, nacksSent, 0, tail);
        missingCount = tail;
    }

    private void removeAt(int index) {
        int tail = missingCount - index - 1;
        if (tail > 0) {
            System.arraycopy(missingExt, index + 1, missingExt, index, tail);
            System.arraycopy(detectedMs, index + 1, detectedMs, index, tail);
            System.arraycopy(lastNackMs, index + 1, lastNackMs, index, tail);
            System.arraycopy(nacksSent, index + 1, nacksSent, index, tail);
        }
        missingCount--;
    }

    /**
     * Writes the sequence numbers to request now into {@code out} (oldest first) and gives up on
     * packets past their age or request limit. When {@code out} is full, the remaining due packets
     * stay due for the next call.
     *
     * @return the number of sequence numbers written
     */
    public int collectDue(long nowMs, int[] out) {
        return collect(nowMs, out, null);
    }

    /**
     * Like {@link #collectDue(long, int[])}, handing each sequence number to {@code sink} (pass a
     * reused, non-capturing consumer, e.g. a NACK packet builder, to stay allocation-free).
     *
     * @return the number of sequence numbers handed over
     */
    public int collectDue(long nowMs, IntConsumer sink) {
        return collect(nowMs, null, sink);
    }

    private int collect(long nowMs, int[] out, IntConsumer sink) {
        long retryIntervalMs = Math.max(rttMs, minRetryIntervalMs);
        int limit = out != null ? out.length : Integer.MAX_VALUE;
        int emitted = 0;
        int kept = 0;
        for (int i = 0; i < missingCount; i++) {
            boolean keep = true;
            boolean due = false;
            if (nowMs - detectedMs[i] > maxAgeMs) {
                keep = false;
            } else if (lastNackMs[i] == NEVER) {
                due = nowMs - detectedMs[i] >= reorderDelayMs;
            } else if (nowMs - lastNackMs[i] >= retryIntervalMs) {
                // The last request had its chance to be answered.
                if (nacksSent[i] >= maxNacksPerPacket) {
                    keep = false;
                } else {
                    due = true;
                }
            }
            if (due && emitted < limit) {
                int seq = (int) (missingExt[i] & RtpWrap.SEQ_MASK);
                if (out != null) {
                    out[emitted] = seq;
                } else {
                    sink.accept(seq);
                }
                emitted++;
                lastNackMs[i] = nowMs;
                nacksSent[i]++;
            }
            if (!keep) {
                givenUp++;
                continue;
            }
            if (kept != i) {
                missingExt[kept] = missingExt[i];
                detectedMs[kept] = detectedMs[i];
                lastNackMs[kept] = lastNackMs[i];
                nacksSent[kept] = nacksSent[i];
            }
            kept++;
        }
        missingCount = kept;
        nacksRequested += emitted;
        return emitted;
    }

    /** Sets the round-trip time toward the publisher, which spaces repeated requests. Any thread. */
    public void setRttMs(long rttMs) {
        if (rttMs > 0) {
            this.rttMs = rttMs;
        }
    }

    /** The round-trip time in use. */
    public long rttMs() {
        return rttMs;
    }

    /** Packets currently missing and not given up. */
    public int missingCount() {
        return missingCount;
    }

    /** Whether {@code seq} is currently in the missing list. */
    public boolean isMissing(int seq) {
        if (!started) {
            return false;
        }
        long ext = RtpWrap.extendSeq(highestExt, seq & RtpWrap.SEQ_MASK);
        return Arrays.binarySearch(missingExt, 0, missingCount, ext) >= 0;
    }

    /** Extended highest sequence number seen. */
    public long highestExtSeq() {
        return highestExt;
    }

    /** Packets ever recorded as missing. */
    public long packetsMissed() {
        return packetsMissed;
    }

    /** Sequence numbers requested (each repetition counts). */
    public long nacksRequested() {
        return nacksRequested;
    }

    /** Missing packets that arrived afterwards. */
    public long recovered() {
        return recovered;
    }

    /** Missing packets abandoned (too old, too many requests, or pushed out of a full list). */
    public long givenUp() {
        return givenUp;
    }

    /** Jumps treated as a reset of the stream. */
    public long resets() {
        return resets;
    }
}
