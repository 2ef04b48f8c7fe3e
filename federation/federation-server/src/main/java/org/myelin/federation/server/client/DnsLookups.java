package org.myelin.federation.server.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import reactor.core.publisher.Mono;

/**
 * DNS for federation, on Netty's resolver (which also reads {@code /etc/hosts}): SRV records and the addresses of a
 * host. It uses the system's name servers, or the ones configured ({@code MYELIN_FEDERATION_DNS_SERVERS}).
 */
final class DnsLookups implements AutoCloseable {

    private final EventLoopGroup loop;
    private final DnsNameResolver resolver;

    /** @param nameServers servers to ask; empty: the system's ({@code /etc/resolv.conf}) */
    DnsLookups(List<InetSocketAddress> nameServers, Duration queryTimeout) {
        loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("myelin-dns", true), NioIoHandler.newFactory());
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop.next())
                .datagramChannelType(NioDatagramChannel.class)
                .queryTimeoutMillis(queryTimeout.toMillis())
                .nameServerProvider(nameServers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(nameServers.toArray(new InetSocketAddress[0])));
        resolver = builder.build();
    }

    /** The host's addresses (A and AAAA, through CNAMEs), or an error when it has none. */
    Mono<List<InetAddress>> addresses(String host) {
        return from(resolver.resolveAll(host));
    }

    /**
     * Whether a failed {@link #addresses} lookup means the name does not exist, as opposed to a lookup that could not
     * be completed (no name server answered in time).
     */
    static boolean isNoSuchName(Throwable failure) {
        return failure instanceof UnknownHostException && !(failure.getCause() instanceof DnsNameResolverTimeoutException);
    }

    /**
     * The SRV targets of {@code name} in the order to try them: by priority, then weighted at random (RFC 2782).
     * Empty when there is no such record, or the record says the service is not offered ({@code .}).
     */
    Mono<List<SrvTarget>> srv(String name) {
        return Mono.<List<SrvTarget>>create(sink -> resolver.query(new DefaultDnsQuestion(name, DnsRecordType.SRV))
                .addListener((Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> done) -> {
                    if (!done.isSuccess()) {
                        sink.error(done.cause());
                        return;
                    }
                    AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = done.getNow();
                    try {
                        sink.success(targets(envelope.content()));
                    } catch (RuntimeException e) {
                        sink.error(e);
                    } finally {
                        envelope.release();
                    }
                }));
    }

    private static List<SrvTarget> targets(DnsResponse response) {
        List<SrvTarget> targets = new ArrayList<>();
        if (response.code() != DnsResponseCode.NOERROR) {
            return targets;
        }
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
            if (record.type() == DnsRecordType.SRV && record instanceof DnsRawRecord raw) {
                ByteBuf content = raw.content().duplicate();
                int priority = content.readUnsignedShort();
                int weight = content.readUnsignedShort();
                int port = content.readUnsignedShort();
                String target = DefaultDnsRecordDecoder.decodeName(content);
                String host = target.endsWith(".") ? target.substring(0, target.length() - 1) : target;
                if (!host.isEmpty()) {
                    targets.add(new SrvTarget(host, port, priority, weight));
                }
            }
        }
        return ordered(targets);
    }

    /** RFC 2782's order: ascending priority; within one priority, repeatedly pick by weight at random. */
    static List<SrvTarget> ordered(List<SrvTarget> targets) {
        List<SrvTarget> byPriority = new ArrayList<>(targets);
        byPriority.sort(Comparator.comparingInt(SrvTarget::priority));
        List<SrvTarget> result = new ArrayList<>();
        int i = 0;
        while (i < byPriority.size()) {
            int j = i;
            while (j < byPriority.size() && byPriority.get(j).priority() == byPriority.get(i).priority()) {
                j++;
            }
            List<SrvTarget> group = new ArrayList<>(byPriority.subList(i, j));
            while (!group.isEmpty()) {
                int total = group.stream().mapToInt(t -> t.weight() + 1).sum();
                int pick = ThreadLocalRandom.current().nextInt(total);
                int k = 0;
                while (pick >= group.get(k).weight() + 1) {
                    pick -= group.get(k).weight() + 1;
                    k++;
                }
                result.add(group.remove(k));
            }
            i = j;
        }
        return result;
    }

    private static <T> Mono<T> from(Future<T> future) {
        return Mono.create(sink -> future.addListener((Future<T> done) -> {
            if (done.isSuccess()) {
                sink.success(done.getNow());
            } else {
                sink.error(done.cause());
            }
        }));
    }

    @Override
    public void close() {
        resolver.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
