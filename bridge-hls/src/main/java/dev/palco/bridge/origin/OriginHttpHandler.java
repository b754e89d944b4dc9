package dev.palco.bridge.origin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Turns each HTTP request (HTTP/1.1, or an HTTP/2 stream converted to HTTP/1 objects) into a call
 * to {@link LiveOrigin#handle}. It never blocks: a parked request is simply not answered yet.
 */
final class OriginHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final LiveOrigin origin;

    OriginHttpHandler(LiveOrigin origin) {
        this.origin = origin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.OPTIONS)) {
            FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                    Unpooled.EMPTY_BUFFER);
            NettyExchange.cors(resp.headers());
            resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
            resp.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
            HttpUtil.setContentLength(resp, 0);
            ctx.writeAndFlush(resp);
            return;
        }
        boolean head = m.equals(HttpMethod.HEAD);
        NettyExchange ex = new NettyExchange(ctx.channel(), head);
        if (!head && !m.equals(HttpMethod.GET)) {
            ex.respond(OriginResponse.status(405, "no-store"));
            return;
        }
        origin.handle(OriginRequest.parse(req.uri(), req.headers().get(HttpHeaderNames.ACCEPT_ENCODING)), ex);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
