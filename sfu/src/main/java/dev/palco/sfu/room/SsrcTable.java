package dev.palco.sfu.room;

import java.util.Arrays;

/**
 * A map from 32-bit SSRC to a value, with open addressing over primitive keys, so that routing a
 * packet by its SSRC neither boxes the key nor allocates. Grows (allocating) only when a stream is
 * added, which is a control-plane event.
 *
 * <p>Not thread-safe: confined to the participant's serial queue.
 */
final class SsrcTable<T> {
  private static final long EMPTY = -1L;

  private long[] keys;
  private Object[] values;
  private int size;

  SsrcTable() {
    keys = new long[16];
    values = new Object[16];
    Arrays.fill(keys, EMPTY);
  }

  @SuppressWarnings("unchecked")
  T get(long ssrc) {
    int mask = keys.length - 1;
    for (int i = slot(ssrc, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == ssrc) {
        return (T) values[i];
      }
      if (k == EMPTY) {
        return null;
      }
    }
  }

  void put(long ssrc, T value) {
    if ((size + 1) * 2 > keys.length) {
      rehash(keys.length * 2);
    }
    int mask = keys.length - 1;
    for (int i = slot(ssrc, mask); ; i = (i + 1) & mask) {
      if (keys[i] == EMPTY) {
        keys[i] = ssrc;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == ssrc) {
        values[i] = value;
        return;
      }
    }
  }

  void remove(long ssrc) {
    // Rebuild without the key: removals are rare (unpublish) and this keeps probing simple.
    if (get(ssrc) == null) {
      return;
    }
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length];
    values = new Object[oldKeys.length];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY && oldKeys[i] != ssrc) {
        put(oldKeys[i], castValue(oldValues[i]));
      }
    }
  }

  /** Removes every entry whose value is {@code value}. */
  void removeValue(Object value) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY && values[i] == value) {
        remove(keys[i]);
        removeValue(value);
        return;
      }
    }
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  private T castValue(Object o) {
    return (T) o;
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[capacity];
    values = new Object[capacity];
    Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], castValue(oldValues[i]));
      }
    }
  }

  private static int slot(long ssrc, int mask) {
    // Fibonacci hashing: SSRCs are random, but test and tool SSRCs are often small and sequential.
    return (int) ((ssrc * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }
}
