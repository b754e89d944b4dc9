package dev.palco.bridge.encode;

import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A thread of its own for one video rung, so that the rungs of one picture are scaled and encoded
 * at the same time: a picture costs the time of the slowest rung, not the sum of all of them,
 * which keeps the ladder at its frame rate on a machine whose cores are shared.
 *
 * <p>The hand-off allocates nothing: the caller writes the job into plain fields, then bumps the
 * volatile {@code requested} counter (a happens-before edge) and unparks the thread; the thread
 * runs the job, publishes {@code done} and unparks the caller. One job at a time: the caller
 * always waits for it ({@link #await}) before the next, so the rung's encoder, scaler and
 * segmenter are only ever used by one thread at a time, in order.
 */
final class RungThread {

    private final H264RungEncoder rung;
    private final Thread thread;

    // The job, written by the caller before requested is bumped.
    private PointerPointer<?> data;
    private IntPointer linesize;
    private int width;
    private int height;
    private int avFormat;
    private long frameIndex;
    private boolean idr;
    private long slotMs;
    private boolean repeat;
    private boolean ok;
    private Thread caller;

    private volatile long requested;
    private volatile long done;
    private volatile boolean stopping;

    RungThread(H264RungEncoder rung) {
        this.rung = rung;
        this.thread = new Thread(this::run, "x264-" + rung.rung().name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts encoding a picture on the rung's thread. */
    void encode(PointerPointer<?> data, IntPointer linesize, int w, int h, int avFormat, long frameIndex, boolean idr,
            long slotMs) {
        this.data = data;
        this.linesize = linesize;
        this.width = w;
        this.height = h;
        this.avFormat = avFormat;
        this.repeat = false;
        submit(frameIndex, idr, slotMs);
    }

    /** Starts encoding the last picture again as frame {@code frameIndex}. */
    void repeat(long frameIndex, boolean idr, long slotMs) {
        this.repeat = true;
        submit(frameIndex, idr, slotMs);
    }

    private void submit(long frameIndex, boolean idr, long slotMs) {
        this.frameIndex = frameIndex;
        this.idr = idr;
        this.slotMs = slotMs;
        this.caller = Thread.currentThread();
        requested = requested + 1;
        LockSupport.unpark(thread);
    }

    /** Waits for the job started last; whether it succeeded. */
    boolean await() {
        long want = requested;
        while (done != want) {
            LockSupport.park(this);
        }
        return ok;
    }

    /** Ends the thread (after the last job was awaited). */
    void stop() {
        stopping = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long seen = 0;
        while (true) {
            long r = requested;
            if (r == seen) {
                if (stopping) {
                    return;
                }
                LockSupport.park(this);
                continue;
            }
            seen = r;
            ok = repeat ? rung.repeat(frameIndex, idr, slotMs)
                    : rung.encode(data, linesize, width, height, avFormat, frameIndex, idr, slotMs);
            Thread c = caller;
            done = seen;
            LockSupport.unpark(c);
        }
    }
}
