package org.myelin.homeserver.http;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * First handler of every client connection: a close becomes a "lingering close" (as Apache httpd does). The server
 * often answers before it has read the whole request (413 for a body over the limit, 408, a 4xx before the body),
 * then closes. Closing a socket whose receive buffer still holds unread bytes makes the kernel send a RST, and a
 * client still sending its body gets "connection reset" instead of the answer. So the output is shut down first
 * (the response and a FIN reach the client), the rest of the input is read and discarded, and the socket is closed
 * once the client closes its side, or after {@link #LINGER_MILLIS} or {@code maxDiscardBytes}, whichever is first.
 */
final class LingeringClose extends ChannelDuplexHandler {

    /** How long a closing connection keeps reading what the client still sends. */
    static final long LINGER_MILLIS = 2_000;

    private final long maxDiscardBytes;
    private ChannelPromise closing;
    private long discarded;

    LingeringClose(long maxDiscardBytes) {
        this.maxDiscardBytes = maxDiscardBytes;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closing != null) {
            closing.addListener(f -> promise.trySuccess());
            return;
        }
        if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()
                || duplex.isInputShutdown()) {
            ctx.close(promise);
            return;
        }
        closing = promise;
        // When the client closes first, Netty closes the channel without this promise; complete it then. Later,
        // not in the listener: when the promise's own close completes the channel, Netty completes it right after.
        ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(promise::trySuccess));
        ctx.flush();
        duplex.shutdownOutput().addListener(f -> {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        });
        ctx.executor().schedule(() -> finish(ctx), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf buf) {
            discarded += buf.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > maxDiscardBytes) {
            finish(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (closing != null && evt instanceof ChannelInputShutdownEvent) {
            finish(ctx);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closing == null) {
            ctx.fireChannelReadComplete();
        } else if (!ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        if (ctx.channel().isOpen()) {
            ctx.close(closing);
        }
    }
}
