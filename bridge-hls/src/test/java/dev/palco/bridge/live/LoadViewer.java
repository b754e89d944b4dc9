package dev.palco.bridge.live;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * One simulated LL-HLS viewer of one rendition on one keep-alive HTTP/1.1 connection, reloading
 * like hls.js in low-latency mode: a plain playlist request to join, then for every response the
 * parts it has not fetched yet, then a blocking reload for the part after the last one listed
 * ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES}). Requests on one connection are
 * sequential, as a browser's would be on one HTTP/1.1 connection.
 */
final class LoadViewer extends SimpleChannelInboundHandler<FullHttpResponse> {

    private static final String PART_TAG = "#EXT-X-PART:";

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
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
        long now = System.nanoTime();
        if (resp.status().code() != 200) {
            stats.error(resp.status().code());
            if (!stats.stopping()) {
                // Start over from a plain playlist, as a player does after an error.
                lastPartFetched = null;
                queueHead = queueTail = 0;
                requestPlaylist(ctx, "/" + rendition + ".m3u8");
            }
            return;
        }
        if (awaitingPlaylist) {
            onPlaylist(resp.content().toString(StandardCharsets.UTF_8), now);
        } else {
            stats.part(resp.content().readableBytes());
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
        // The parts listed after the last one fetched; a player joining takes the newest only.
        int lastTag = -1;
        String lastUri = null;
        boolean after = lastPartFetched == null;
        for (int i = text.indexOf(PART_TAG); i >= 0; i = text.indexOf(PART_TAG, i + 1)) {
            String uri = uriOf(text, i);
            if (after && lastPartFetched != null && queueTail < queue.length) {
                queue[queueTail++] = uri;
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
        if (lastPartFetched == null) {
            queue[queueTail++] = lastUri;
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
