package dev.palco.signaling.ws;

import dev.palco.signaling.EncodedFrame;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;

/**
 * Where an {@link OutboundQueue} writes: one frame at a time, with a callback when the socket
 * took it. An interface so the queue's rules (one write in flight, a bounded backlog, the close
 * after the drain) are tested without sockets.
 */
interface FrameWriter {

  /** Told when a write finished. */
  interface Done {
    /** The socket took the frame. */
    void written();

    /** The write failed; the connection is unusable. */
    void failed();
  }

  /** Starts writing one text frame; calls {@code done} once, on any thread. */
  void write(EncodedFrame frame, Done done);

  /** Sends a close frame with a status, then cuts the socket after a grace period. */
  void close(int code, String reason);

  /** Cuts the socket at once. */
  void abort();

  /** The Undertow WebSocket channel as a writer. */
  static FrameWriter of(WebSocketChannel channel) {
    return new FrameWriter() {
      @Override
      public void write(EncodedFrame frame, Done done) {
        WebSockets.sendText(
            frame.view(),
            channel,
            new WebSocketCallback<Void>() {
              @Override
              public void complete(WebSocketChannel ch, Void context) {
                done.written();
              }

              @Override
              public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                done.failed();
              }
            });
      }

      @Override
      public void close(int code, String reason) {
        if (!channel.isOpen() || channel.isCloseFrameSent()) {
          return;
        }
        WebSockets.sendClose(code, reason, channel, null);
        channel
            .getIoThread()
            .executeAfter(() -> IoUtils.safeClose(channel), OutboundQueue.CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
      }

      @Override
      public void abort() {
        IoUtils.safeClose(channel);
      }
    };
  }
}
