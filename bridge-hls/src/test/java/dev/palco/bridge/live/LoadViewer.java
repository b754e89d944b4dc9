package dev.palco.bridge.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * One simulated LL-HLS viewer of one rendition on one keep-alive HTTP/1.1 connection, reloading
 * like hls.js in low-latency mode: a plain playlist request to join, then for every response the
 * parts it has not fetched yet, then a blocking reload for the part after the last one listed
 * ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES}). Requests on one connection are
 * sequential, as a browser's would be on one HTTP/1.1 connection. Part bodies are counted and
 * dropped chunk by chunk (never aggregated), so that the viewers cost as little CPU as possible
 * next to the origin they load.
 */
final class LoadViewer extends SimpleChannelInboundHandler<HttpObject> {

    private static final String PART_TAG = "#EXT-X-PART:";
    private static final int MAX_CATCH_UP = 3;

    private final String rendition;
    private final int renditionIndex;
    private final LoadStats stats;
    private final String host;
    private final String[] queue = new String[64];
    private int queueHead;
    private int queueTail;
    private String lastPartFetched;
    private boolean awaitingPlaylist;
    private String nextReload;
    private int status;
    private long bodyBytes;
    private final StringBuilder playlist = new StringBuilder(8192);

    LoadViewer(String rendition, int renditionIndex, LoadStats stats, String host) {
        this.rendition = rendition;
        this.renditionIndex = renditionIndex;
        this.stats = stats;
        this.host = host;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connected();
        requestPlaylist(ctx, "/" + rendition + ".m3u8");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse resp) {
            status = resp.status().code();
            bodyBytes = 0;
            playlist.setLength(0);
        }
        if (msg instanceof HttpContent content) {
            ByteBuf b = content.content();
            bodyBytes += b.readableBytes();
            if (awaitingPlaylist && status == 200) {
                playlist.append(b.toString(StandardCharsets.UTF_8));
            }
        }
        if (msg instanceof LastHttpContent) {
            onResponse(ctx);
        }
    }

    private void onResponse(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        if (status != 200) {
            stats.error(status);
            if (!stats.stopping()) {
                // Start over from a plain playlist, as a player does after an error.
                lastPartFetched = null;
                queueHead = queueTail = 0;
                requestPlaylist(ctx, "/" + rendition + ".m3u8");
            }
            return;
        }
        if (awaitingPlaylist) {
            onPlaylist(playlist.toString(), now);
        } else {
            stats.part(bodyBytes);
        }
        if (stats.stopping()) {
            ctx.close();
            return;
        }
        if (queueHead < queueTail) {
            String uri = queue[queueHead++];
            awaitingPlaylist = false;
            send(ctx, "/" + uri);
        } else {
            requestPlaylist(ctx, nextReload);
        }
    }

    private void onPlaylist(String text, long nowNs) {
        queueHead = queueTail = 0;
        // The parts listed after the last one fetched (a player joining takes the newest only).
        // A player that fell further behind than MAX_CATCH_UP parts jumps to the live edge, as
        // hls.js does, rather than download media it will never show: those parts count as skipped.
        int lastTag = -1;
        String lastUri = null;
        boolean after = false;
        int newParts = 0;
        for (int i = text.indexOf(PART_TAG); i >= 0; i = text.indexOf(PART_TAG, i + 1)) {
            String uri = uriOf(text, i);
            if (after) {
                queue[queueTail++ % queue.length] = uri;
                newParts++;
            }
            if (uri.equals(lastPartFetched)) {
                after = true;
            }
            lastTag = i;
            lastUri = uri;
        }
        if (lastUri == null) {
            stats.error(0);
            nextReload = "/" + rendition + ".m3u8";
            return;
        }
        if (lastPartFetched == null || !after) {
            queue[0] = lastUri;
            queueTail = 1;
            if (lastPartFetched != null) {
                stats.skipped(1);
            }
        } else if (newParts > MAX_CATCH_UP) {
            stats.skipped(newParts - MAX_CATCH_UP);
            String[] newest = new String[MAX_CATCH_UP];
            for (int k = 0; k < MAX_CATCH_UP; k++) {
                newest[k] = queue[(newParts - MAX_CATCH_UP + k) % queue.length];
            }
            System.arraycopy(newest, 0, queue, 0, MAX_CATCH_UP);
            queueTail = MAX_CATCH_UP;
        } else {
            queueTail = newParts;
        }
        lastPartFetched = lastUri;
        // lastUri is {rendition}_{msn}_{part}.m4s.
        int a = lastUri.indexOf('_');
        int b = lastUri.indexOf('_', a + 1);
        long msn = Long.parseLong(lastUri, a + 1, b, 10);
        long part = Long.parseLong(lastUri, b + 1, lastUri.length() - 4, 10);
        stats.version(renditionIndex, msn, part, nowNs);
        if (text.indexOf("\n" + rendition + "_" + msn + ".m4s", lastTag) >= 0) {
            msn++;
            part = 0;
        } else {
            part++;
        }
        nextReload = "/" + rendition + ".m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part + "&_HLS_skip=YES";
    }

    private static String uriOf(String text, int tag) {
        int u = text.indexOf("URI=\"", tag) + 5;
        return text.substring(u, text.indexOf('"', u));
    }

    private void requestPlaylist(ChannelHandlerContext ctx, String path) {
        awaitingPlaylist = true;
        send(ctx, path);
    }

    private void send(ChannelHandlerContext ctx, String path) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
                Unpooled.EMPTY_BUFFER);
        req.headers().set(HttpHeaderNames.HOST, host);
        ctx.writeAndFlush(req);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.disconnected();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error(-1);
        ctx.close();
    }
}
