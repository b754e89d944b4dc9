package dev.palco.bridge.encode;

/** How the video rungs of one picture share threads (see {@link LadderEncoder}). */
public enum RungScheduling {
    /**
     * One after the other on the caller's thread: one core at a time, a picture costs the sum of
     * its rungs.
     */
    SEQUENTIAL,
    /**
     * At the same time, each rung beyond the first on a thread of its own: a picture costs its
     * slowest rung, which keeps the frame rate when the machine's cores are shared, at the price of
     * bursts on several cores (which other work on the machine, a browser playing the stream in a
     * test for one, then waits for).
     */
    PARALLEL
}
