package dev.palco.signaling.ws;

import dev.palco.signaling.EncodedFrame;
import java.util.ArrayDeque;

/**
 * The server's messages to one connection, sent one at a time. Bounded: past {@code
 * maxMessages} queued the reader is too slow, and the connection is cut rather than buffered for.
 * A close (status and reason) can follow the queued messages, so {@code removed} arrives before
 * the 4003 close. Frames are {@link EncodedFrame}s, so a frame shared by many connections sits in
 * each of their queues without a copy. Thread-safe; never blocks.
 */
final class OutboundQueue {

  /** How long the peer has to answer our close frame before the socket is cut. */
  static final long CLOSE_GRACE_MS = 3_000;

  /** Called when the queue overflows. */
  interface OverflowListener {
    void overflowed();
  }

  private final FrameWriter writer;
  private final int maxMessages;
  private final OverflowListener overflow;
  private final ArrayDeque<EncodedFrame> queue = new ArrayDeque<>();
  private final FrameWriter.Done onWritten =
      new FrameWriter.Done() {
        @Override
        public void written() {
          sendNext();
        }

        @Override
        public void failed() {
          synchronized (OutboundQueue.this) {
            closing = true;
            closeSent = true;
            queue.clear();
          }
          writer.abort();
        }
      };
  private boolean sending;
  private boolean closing;
  private int closeCode;
  private String closeReason;
  private boolean closeSent;

  OutboundQueue(FrameWriter writer, int maxMessages, OverflowListener overflow) {
    this.writer = writer;
    this.maxMessages = maxMessages;
    this.overflow = overflow;
  }

  /**
   * Queues a text frame.
   *
   * @param optional if true the message is dropped instead once the queue is half full (used
   *     for {@code rate-limited} replies, which must not get a flooding client disconnected for
   *     not reading)
   * @return false if the message was not queued
   */
  boolean offer(EncodedFrame frame, boolean optional) {
    boolean overflowed = false;
    synchronized (this) {
      if (closing) {
        return false;
      }
      if (optional && queue.size() >= maxMessages / 2) {
        return false;
      }
      if (queue.size() >= maxMessages) {
        closing = true;
        closeSent = true;
        queue.clear();
        overflowed = true;
      } else {
        queue.add(frame);
        if (sending) {
          return true;
        }
        sending = true;
      }
    }
    if (overflowed) {
      overflow.overflowed();
      writer.abort();
      return false;
    }
    sendNext();
    return true;
  }

  /** Sends a close frame after everything queued so far; later messages are dropped. */
  void closeAfterDrain(int code, String reason) {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      closeCode = code;
      closeReason = reason;
      if (sending) {
        return;
      }
      sending = true;
    }
    sendNext();
  }

  /** The socket is gone: drop what is queued and everything offered later. */
  synchronized void channelClosed() {
    closing = true;
    closeSent = true;
    queue.clear();
  }

  /** Whether a close has been asked for. */
  synchronized boolean isClosing() {
    return closing;
  }

  /** Frames waiting (for tests and meters). */
  synchronized int queued() {
    return queue.size();
  }

  private void sendNext() {
    EncodedFrame next;
    boolean sendClose = false;
    synchronized (this) {
      next = queue.poll();
      if (next == null) {
        if (closing && !closeSent) {
          closeSent = true;
          sendClose = true;
        } else {
          sending = false;
          return;
        }
      }
    }
    if (sendClose) {
      writer.close(closeCode, closeReason);
      return;
    }
    writer.write(next, onWritten);
  }
}
