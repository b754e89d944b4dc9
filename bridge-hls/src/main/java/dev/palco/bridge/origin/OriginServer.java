package dev.palco.bridge.origin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The HTTP front of a {@link LiveOrigin}: Netty with the NIO transport, HTTP/1.1 with keep-alive,
 * and HTTP/2: in cleartext by upgrade ({@code Upgrade: h2c}) or prior knowledge, or, with a
 * certificate, over TLS, where ALPN (RFC 7301) chooses {@code h2} or {@code http/1.1}.
 *
 * <p>Every HTTP/2 stream is converted to HTTP/1 objects, so one handler serves both protocols.
 * Requests are small GETs (aggregated up to 8 KiB); answers are written from the producer's thread
 * through the channel's event loop. A timer on one event loop calls {@link LiveOrigin#tick()} every
 * 100 ms for the 503 deadlines and retention.
 */
public final class OriginServer implements AutoCloseable {

    private static final int MAX_REQUEST_BYTES = 8 * 1024;
    private static final long TICK_MS = 100;
    /** Thousands of viewers may hold one blocking request each on one HTTP/2 connection (a CDN edge). */
    private static final long MAX_CONCURRENT_STREAMS = 10_000;

    private final LiveOrigin origin;
    // Named threads: a profile or a per-thread CPU count tells the origin's work apart.
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("hls-origin-accept"));
    private final EventLoopGroup workers;
    private final SslContext tls;
    private Channel serverChannel;

    /** A cleartext server for {@code origin} with {@code workerThreads} event loops. */
    public OriginServer(LiveOrigin origin, int workerThreads) {
        this.origin = origin;
        this.workers = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory("hls-origin"));
        this.tls = null;
    }

    /**
     * A server over TLS with {@code key} and its certificate {@code chain} (leaf first). HTTP/2
     * over TLS needs TLS 1.2 or later and the cipher suites RFC 9113 §9.2.2 allows; the JDK's
     * defaults for TLS 1.3 and its TLS 1.2 AEAD suites qualify.
     *
     * @throws IllegalArgumentException when the key and chain cannot make a TLS context
     */
    public OriginServer(LiveOrigin origin, int workerThreads, PrivateKey key, List<X509Certificate> chain) {
        this.origin = origin;
        try {
            this.tls = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot use this key and certificate for TLS: " + e.getMessage(), e);
        }
        this.workers = new NioEventLoopGroup(workerThreads, new DefaultThreadFactory("hls-origin"));
    }

    /** Binds and starts serving; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress start(InetSocketAddress bind) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls == null) {
                            configure(ch.pipeline());
                        } else {
                            configureTls(ch);
                        }
                    }
                });
        serverChannel = b.bind(bind).sync().channel();
        workers.next().scheduleAtFixedRate(origin::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return (InetSocketAddress) serverChannel.localAddress();
    }

    private void configure(ChannelPipeline p) {
        HttpServerCodec http1 = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(http2FrameCodec(), new Http2MultiplexHandler(streamInitializer()))
                        : null, MAX_REQUEST_BYTES);
        ChannelInitializer<Channel> priorKnowledge = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(http2FrameCodec(), new Http2MultiplexHandler(streamInitializer()));
            }
        };
        p.addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, priorKnowledge));
        // Reached only by HTTP/1.1 requests that did not upgrade: switch this connection to HTTP/1.1.
        p.addLast(new SimpleChannelInboundHandler<HttpMessage>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, HttpMessage msg) {
                ChannelPipeline pipeline = ctx.pipeline();
                pipeline.addAfter(ctx.name(), "keep-alive", new HttpServerKeepAliveHandler());
                pipeline.addAfter("keep-alive", "aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
                pipeline.addAfter("aggregator", "origin", new OriginHttpHandler(origin));
                pipeline.remove(this);
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        });
    }

    /** TLS, then what ALPN chose: h2, or HTTP/1.1 (also for clients that offer no ALPN). */
    private void configureTls(SocketChannel ch) {
        ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                    @Override
                    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        ChannelPipeline p = ctx.pipeline();
                        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                            p.addLast(http2FrameCodec(), new Http2MultiplexHandler(streamInitializer()));
                        } else {
                            p.addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new HttpObjectAggregator(MAX_REQUEST_BYTES), new OriginHttpHandler(origin));
                        }
                    }

                    // A peer that fails the handshake (cleartext, a scanner, an old client) is
                    // closed without a warning per connection in the log.
                    @Override
                    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
    }

    private static io.netty.handler.codec.http2.Http2FrameCodec http2FrameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .build();
    }

    private ChannelInitializer<Http2StreamChannel> streamInitializer() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_REQUEST_BYTES), new OriginHttpHandler(origin));
            }
        };
    }

    /** Stops accepting and closes every connection. */
    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
