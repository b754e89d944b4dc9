package dev.palco.bridge.origin;

import dev.palco.bridge.playlist.PartEntry;
import dev.palco.bridge.playlist.SegmentEntry;
import java.util.ArrayList;
import java.util.List;

/** A segment the origin holds: its parts' bytes, its playlist entry, and when it left the playlist. */
final class StoredSegment {

    final long msn;
    final boolean discontinuity;
    final long programDateTimeMs;
    final List<byte[]> partData = new ArrayList<>();
    final List<PartEntry> parts = new ArrayList<>();
    long durationUs;
    boolean complete;
    byte[] data;
    SegmentEntry entry;
    long removedAtMs = -1;

    StoredSegment(long msn, boolean discontinuity, long programDateTimeMs) {
        this.msn = msn;
        this.discontinuity = discontinuity;
        this.programDateTimeMs = programDateTimeMs;
    }

    /** The playlist entry; cached once the segment is complete, since it no longer changes. */
    SegmentEntry entry(String uri, String mapUri) {
        if (entry != null) {
            return entry;
        }
        SegmentEntry e = new SegmentEntry(msn, complete ? uri : null, durationUs, discontinuity, programDateTimeMs,
                mapUri, parts);
        if (complete) {
            entry = e;
        }
        return e;
    }

    /** Joins the parts into the segment resource (one copy, when the segment completes). */
    void join() {
        int total = 0;
        for (byte[] p : partData) {
            total += p.length;
        }
        byte[] all = new byte[total];
        int pos = 0;
        for (byte[] p : partData) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        data = all;
    }
}
