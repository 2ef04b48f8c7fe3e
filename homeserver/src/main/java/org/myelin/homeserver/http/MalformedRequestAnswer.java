package org.myelin.homeserver.http;

import java.net.URI;
import java.net.URISyntaxException;

import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Answers a request the HTTP codec could not decode (an overlong request line or header block, a malformed request
 * line or header), or whose target is no valid URI (a stray {@code %}), with a Matrix error, then closes the
 * connection, since the codec cannot find the next request's start. Without it reactor-netty answers such requests itself, with an empty body no Matrix client can read, and
 * when the request came right behind another one (kept alive or pipelined) whose answer was still being computed,
 * sometimes not at all. The answer waits for the responses owed to earlier requests on the connection, so HTTP's
 * order is kept, and is written below the codec, as raw bytes, because the codec's encoder has seen no request to
 * answer. Nothing more is read from the connection meanwhile.
 */
final class MalformedRequestAnswer extends ChannelDuplexHandler {

    private static final byte[] URI_TOO_LONG = RawMatrixError.closing(414, "URI Too Long", "M_TOO_LARGE",
            "The request line is too long");
    private static final byte[] HEADERS_TOO_LARGE = RawMatrixError.closing(431, "Request Header Fields Too Large",
            "M_TOO_LARGE", "The request headers are too large");
    private static final byte[] MALFORMED = RawMatrixError.closing(400, "Bad Request", "M_UNKNOWN",
            "Malformed HTTP request");
    private static final byte[] BAD_URI = RawMatrixError.closing(400, "Bad Request", "M_INVALID_PARAM",
            "The request URI is not a valid URI (a stray '%' or a character that must be percent-encoded)");

    private static final RateLimitedWarning MALFORMED_SEEN = new RateLimitedWarning(
            LoggerFactory.getLogger(MalformedRequestAnswer.class),
            "Answered a malformed HTTP request (bad request line, headers, size or URI) and closed its connection");

    private int responsesOwed;
    private byte[] pendingAnswer;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pendingAnswer != null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof HttpRequest request)
                || request.decoderResult().isSuccess() && isValidUri(request)) {
            if (msg instanceof HttpRequest) {
                responsesOwed++;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        pendingAnswer = request.decoderResult().isSuccess() ? BAD_URI : answerTo(request.decoderResult().cause());
        ReferenceCountUtil.release(msg);
        MALFORMED_SEEN.warn();
        ctx.channel().config().setAutoRead(false);
        if (responsesOwed == 0) {
            answer(ctx);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            promise.addListener(f -> {
                responsesOwed = Math.max(0, responsesOwed - 1);
                if (responsesOwed == 0 && pendingAnswer != null) {
                    answer(ctx);
                }
            });
        }
        ctx.write(msg, promise);
    }

    private void answer(ChannelHandlerContext ctx) {
        byte[] bytes = pendingAnswer;
        ChannelHandlerContext below = ctx.pipeline().context(NettyPipeline.HttpCodec);
        if (below == null || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        below.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Whether Spring can make a {@link URI} of the request's target and Host, as it does for every request: when it
     * cannot, it answers 400 with an empty body before any handler runs.
     */
    static boolean isValidUri(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        try {
            new URI("http://" + host + (request.uri().startsWith("/") ? request.uri() : "/" + request.uri()));
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    static byte[] answerTo(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return HEADERS_TOO_LARGE;
        }
        return MALFORMED;
    }
}
