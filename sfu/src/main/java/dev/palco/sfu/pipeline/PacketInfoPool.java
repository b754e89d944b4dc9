package dev.palco.sfu.pipeline;

/**
 * A bounded pool of {@link PacketInfo}s, so that the steady state of the media plane allocates
 * nothing per packet.
 *
 * <p>Any thread may acquire and release. A lock guards a plain array stack: the critical section
 * is a few instructions, cheaper than a lock-free queue that allocates a node per offer. When the
 * pool is empty a new packet is made and counted as a miss; a release into a full pool lets the
 * packet go to the garbage collector. Either shows a pool sized too small, never a failure.
 */
public final class PacketInfoPool {
  private final PacketInfo[] free;
  private int size;
  private long misses;
  private long acquired;
  private long released;

  /**
   * @param capacity how many idle packets the pool keeps
   * @param prefill how many to make now, so the first burst does not miss
   */
  public PacketInfoPool(int capacity, int prefill) {
    if (capacity <= 0 || prefill < 0 || prefill > capacity) {
      throw new IllegalArgumentException("capacity " + capacity + ", prefill " + prefill);
    }
    free = new PacketInfo[capacity];
    for (int i = 0; i < prefill; i++) {
      PacketInfo packet = new PacketInfo();
      packet.pooled = true;
      free[size++] = packet;
    }
  }

  /** Takes a clean packet from the pool, or makes one when the pool is empty. */
  public PacketInfo acquire() {
    PacketInfo packet = null;
    synchronized (this) {
      acquired++;
      if (size > 0) {
        packet = free[--size];
        free[size] = null;
      } else {
        misses++;
      }
    }
    if (packet == null) {
      return new PacketInfo();
    }
    packet.pooled = false;
    return packet;
  }

  /**
   * Gives a packet back. The caller must not touch it afterwards.
   *
   * @throws IllegalStateException when the packet is already in the pool: two owners released it
   */
  public void release(PacketInfo packet) {
    if (packet.pooled) {
      throw new IllegalStateException("packet released twice");
    }
    if (packet.sharedHolders() > 0) {
      throw new IllegalStateException("a shared packet is given back with releaseShared");
    }
    packet.reset();
    packet.pooled = true;
    synchronized (this) {
      released++;
      if (size < free.length) {
        free[size++] = packet;
      }
    }
  }

  /**
   * Gives back one share of a packet made shared with {@link PacketInfo#share}; the last share
   * returns it to the pool. Any thread. The caller must not read the packet afterwards.
   *
   * @throws IllegalStateException when the packet was not shared, or more shares came back than
   *     were given
   */
  public void releaseShared(PacketInfo packet) {
    if (packet.unshare()) {
      release(packet);
    }
  }

  /** Idle packets held now. */
  public synchronized int idle() {
    return size;
  }

  /** Acquisitions that found the pool empty. */
  public synchronized long misses() {
    return misses;
  }

  /** Packets acquired and not yet released: a number that keeps growing means a leak. */
  public synchronized long outstanding() {
    return acquired - released;
  }
}
