package org.myelin.federation.server.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

/**
 * A small authoritative DNS server on loopback for tests, built on Netty's DNS codec: it answers A queries and SRV
 * queries from the records given, NOERROR with no answer for other types of known names, NXDOMAIN otherwise.
 */
final class TestDnsServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, byte[]> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<SrvTarget>> services = new ConcurrentHashMap<>();
    private final Channel channel;

    TestDnsServer() throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    TestDnsServer a(String name, byte... address) {
        addresses.put(name.toLowerCase(Locale.ROOT), address);
        return this;
    }

    TestDnsServer srv(String name, SrvTarget... targets) {
        services.put(name.toLowerCase(Locale.ROOT), List.of(targets));
        return this;
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = question.name().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setRecursionAvailable(true).setAuthoritativeAnswer(true);
            response.addRecord(DnsSection.QUESTION, question);
            boolean known = addresses.containsKey(name) || services.containsKey(name);
            if (!known) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else if (question.type() == DnsRecordType.A && addresses.containsKey(name)) {
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 60,
                        Unpooled.wrappedBuffer(addresses.get(name))));
            } else if (question.type() == DnsRecordType.SRV && services.containsKey(name)) {
                for (SrvTarget target : services.get(name)) {
                    ByteBuf content = Unpooled.buffer();
                    content.writeShort(target.priority()).writeShort(target.weight()).writeShort(target.port());
                    for (String label : target.host().split("\\.")) {
                        byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                        content.writeByte(bytes.length).writeBytes(bytes);
                    }
                    content.writeByte(0);
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.SRV,
                            60, content));
                }
            }
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully();
    }
}
