package dev.palco.signaling.ws;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * The server's messages to one connection, sent one at a time. Bounded: past {@code
 * maxMessages} queued the reader is too slow, and the connection is cut rather than buffered for.
 * A close (status and reason) can follow the queued messages, so {@code removed} arrives before
 * the 4003 close. Thread-safe; never blocks.
 */
final class OutboundQueue {

  /** How long the peer has to answer our close frame before the socket is cut. */
  private static final long CLOSE_GRACE_MS = 3_000;

  /** Called when the queue overflows. */
  interface OverflowListener {
    void overflowed();
  }

  private final WebSocketChannel channel;
  private final int maxMessages;
  private final OverflowListener overflow;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private boolean sending;
  private boolean closing;
  private int closeCode;
  private String closeReason;
  private boolean closeSent;

  OutboundQueue(WebSocketChannel channel, int maxMessages, OverflowListener overflow) {
    this.channel = channel;
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
  boolean offer(String text, boolean optional) {
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
        queue.add(text);
        if (sending) {
          return true;
        }
        sending = true;
      }
    }
    if (overflowed) {
      overflow.overflowed();
      IoUtils.safeClose(channel);
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

  private void sendNext() {
    String next;
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
      sendCloseFrame();
      return;
    }
    WebSockets.sendText(
        next,
        channel,
        new WebSocketCallback<Void>() {
          @Override
          public void complete(WebSocketChannel ch, Void context) {
            sendNext();
          }

          @Override
          public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
            synchronized (OutboundQueue.this) {
              closing = true;
              closeSent = true;
              queue.clear();
            }
            IoUtils.safeClose(ch);
          }
        });
  }

  private void sendCloseFrame() {
    if (!channel.isOpen() || channel.isCloseFrameSent()) {
      return;
    }
    WebSockets.sendClose(closeCode, closeReason, channel, null);
    channel
        .getIoThread()
        .executeAfter(() -> IoUtils.safeClose(channel), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }
}
