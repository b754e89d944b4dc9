package dev.palco.bridge.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An {@link OriginExchange} on a Netty channel (an HTTP/1.1 connection or one HTTP/2 stream).
 *
 * <p>Every call is queued onto the channel's event loop, even from the event loop itself, so the
 * calls made by the event loop (the first answer) and by the producer thread (parked answers,
 * chunks) reach the wire in the order they were made. Array bodies are wrapped, not copied: they
 * are immutable once published.
 */
final class NettyExchange implements OriginExchange {

    private final Channel channel;
    private final boolean head;
    private boolean answered; // event loop only

    NettyExchange(Channel channel, boolean head) {
        this.channel = channel;
        this.head = head;
    }

    @Override
    public void respond(OriginResponse r) {
        channel.eventLoop().execute(() -> {
            if (answered) {
                return;
            }
            answered = true;
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
            headers(resp.headers(), r);
            HttpUtil.setContentLength(resp, r.body().length);
            channel.writeAndFlush(resp);
        });
    }

    @Override
    public void beginChunked(OriginResponse r) {
        channel.eventLoop().execute(() -> {
            if (answered) {
                return;
            }
            answered = true;
            HttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
            headers(resp.headers(), r);
            HttpUtil.setTransferEncodingChunked(resp, true);
            channel.writeAndFlush(resp);
        });
    }

    @Override
    public void chunk(byte[] buf, int off, int len) {
        channel.eventLoop().execute(() -> {
            if (!head) {
                channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(buf, off, len)));
            }
        });
    }

    @Override
    public void end() {
        channel.eventLoop().execute(() -> channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    static void headers(HttpHeaders h, OriginResponse r) {
        if (r.contentType() != null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        if (r.cacheControl() != null) {
            h.set(HttpHeaderNames.CACHE_CONTROL, r.cacheControl());
        }
        if (r.gzip()) {
            h.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
        }
        if (r.varyAcceptEncoding()) {
            h.set(HttpHeaderNames.VARY, "Accept-Encoding");
        }
        cors(h);
    }

    /** Browsers play from other origins; hls.js reads Age to correct its live-edge estimate. */
    static void cors(HttpHeaders h) {
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Age, Content-Length, Date");
    }
}
