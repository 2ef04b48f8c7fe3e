package org.myelin.homeserver.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The three read deadlines of a client connection, which reactor-netty's own timeouts do not cover (its idle timeout
 * is reset by every byte, so a client sending one header byte every few seconds is never cut):
 * <ul>
 * <li>headers: from the connection's first byte of a request (or from accepting it) until the request's headers are
 * complete; missed, the client gets 408 and the connection is closed;</li>
 * <li>body: from the headers until the end of the announced or chunked body; missed, 408 if no response was
 * started, else just closed;</li>
 * <li>idle: between requests, when nothing is being read and no response is owed; missed, the connection is closed.
 * A connection waiting for our answer (a /sync long-poll) is not idle.</li>
 * </ul>
 * {@link #raw()} sits before the HTTP codec and sees bytes arrive; {@link #decoded()} sits after it and sees requests
 * and responses. Both run on the connection's event loop, so the state needs no locking.
 */
final class RequestTimeouts {

    private static final byte[] TIMEOUT_RESPONSE = RawMatrixError.closing(408, "Request Timeout",
            "M_UNKNOWN", "Request not received in time");

    private final long headerMillis;
    private final long bodyMillis;
    private final long idleMillis;

    private ChannelHandlerContext rawContext;
    private ScheduledFuture<?> timer;
    private boolean awaitingHeaders = true;
    private boolean readingBody;
    private boolean responseStarted;
    private int responsesOwed;

    RequestTimeouts(Duration header, Duration body, Duration idle) {
        this.headerMillis = header.toMillis();
        this.bodyMillis = body.toMillis();
        this.idleMillis = idle.toMillis();
    }

    ChannelDuplexHandler raw() {
        return new ChannelDuplexHandler() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                rawContext = ctx;
                schedule(headerMillis, true);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (!awaitingHeaders && !readingBody) {
                    awaitingHeaders = true;
                    schedule(headerMillis, responsesOwed == 0);
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    ChannelDuplexHandler decoded() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof HttpRequest request) {
                    awaitingHeaders = false;
                    responsesOwed++;
                    readingBody = request.decoderResult().isSuccess()
                            && (HttpUtil.isTransferEncodingChunked(request)
                                    || HttpUtil.getContentLength(request, 0L) > 0);
                    if (readingBody) {
                        schedule(bodyMillis, true);
                    } else {
                        cancel();
                    }
                }
                if (msg instanceof LastHttpContent && readingBody) {
                    readingBody = false;
                    cancel();
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof HttpResponse) {
                    responseStarted = true;
                }
                if (msg instanceof LastHttpContent) {
                    responseStarted = false;
                    responsesOwed = Math.max(0, responsesOwed - 1);
                    if (responsesOwed == 0 && !awaitingHeaders && !readingBody) {
                        schedule(idleMillis, false);
                    }
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void schedule(long millis, boolean answer) {
        cancel();
        timer = rawContext.executor().schedule(() -> expire(answer), millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Answers 408 when no other response is under way on the connection, then closes it. */
    private void expire(boolean answer) {
        ChannelHandlerContext ctx = rawContext;
        if (answer && !responseStarted && responsesOwed <= 1 && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(f -> ctx.close());
        } else {
            ctx.close();
        }
    }
}
