package dev.palco.sfu.pacing;

/**
 * A bounded FIFO of packet references for one priority: the caller's handle (an index into its
 * own buffer pool), the size and the enqueue time, in three primitive rings. No allocation.
 */
final class PacketQueue {
  private final int[] handles;
  private final int[] sizes;
  private final long[] enqueuedUs;
  private final int mask;
  private int head;
  private int count;
  private long bytes;

  PacketQueue(int capacity) {
    handles = new int[capacity];
    sizes = new int[capacity];
    enqueuedUs = new long[capacity];
    mask = capacity - 1;
  }

  boolean offer(int handle, int sizeBytes, long nowUs) {
    if (count == handles.length) {
      return false;
    }
    int i = (head + count) & mask;
    handles[i] = handle;
    sizes[i] = sizeBytes;
    enqueuedUs[i] = nowUs;
    count++;
    bytes += sizeBytes;
    return true;
  }

  boolean isEmpty() {
    return count == 0;
  }

  int size() {
    return count;
  }

  long bytes() {
    return bytes;
  }

  int headHandle() {
    return handles[head];
  }

  int headSize() {
    return sizes[head];
  }

  long headEnqueuedUs() {
    return enqueuedUs[head];
  }

  void removeHead() {
    bytes -= sizes[head];
    head = (head + 1) & mask;
    count--;
  }
}
