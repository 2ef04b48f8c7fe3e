package org.myelin.homeserver.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Answers a request the HTTP codec could not decode (an overlong request line or header block, a malformed request
 * line or header) with a Matrix error, then closes the connection, since the codec cannot find the next request's
 * start. Without it reactor-netty answers such requests itself, with an empty body no Matrix client can read. The
 * answer is written below the codec, as raw bytes, because the codec's encoder has seen no request to answer.
 */
final class MalformedRequestAnswer extends ChannelInboundHandlerAdapter {

    private static final byte[] URI_TOO_LONG = RawMatrixError.closing(414, "URI Too Long", "M_TOO_LARGE",
            "The request line is too long");
    private static final byte[] HEADERS_TOO_LARGE = RawMatrixError.closing(431, "Request Header Fields Too Large",
            "M_TOO_LARGE", "The request headers are too large");
    private static final byte[] MALFORMED = RawMatrixError.closing(400, "Bad Request", "M_UNKNOWN",
            "Malformed HTTP request");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest request) || request.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        Throwable cause = request.decoderResult().cause();
        ReferenceCountUtil.release(msg);
        ChannelHandlerContext below = ctx.pipeline().context(NettyPipeline.HttpCodec);
        below.writeAndFlush(Unpooled.wrappedBuffer(answerTo(cause))).addListener(ChannelFutureListener.CLOSE);
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
