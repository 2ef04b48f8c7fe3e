package org.myelin.homeserver.federation;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.myelin.db.account.ProfileRepository;
import org.myelin.db.federation.DestinationRepository;
import org.myelin.db.federation.ServerKeyRepository;
import org.myelin.db.notify.StreamNotifier;
import org.myelin.db.support.Database;
import org.myelin.federation.protocol.acl.ServerAcl;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.server.auth.FederationRouteTable;
import org.myelin.federation.server.auth.RequestAuthenticator;
import org.myelin.federation.server.backfill.HistoryBackfill;
import org.myelin.federation.server.client.FederationClient;
import org.myelin.federation.server.keys.KeyRing;
import org.myelin.federation.server.keys.KeyRoutes;
import org.myelin.federation.server.keys.ServerKeys;
import org.myelin.federation.server.presence.PresenceEdus;
import org.myelin.federation.server.query.QueryRoutes;
import org.myelin.federation.server.query.RemoteDirectory;
import org.myelin.federation.server.query.RemoteRoomDirectory;
import org.myelin.federation.server.query.RemoteProfileQuery;
import org.myelin.federation.server.read.ReadRoutes;
import org.myelin.federation.server.sender.EduQueue;
import org.myelin.federation.server.space.RemoteSpaceHierarchy;
import org.myelin.federation.server.space.SpaceRoutes;
import org.myelin.federation.server.sender.FederationSender;
import org.myelin.federation.server.membership.MembershipRoutes;
import org.myelin.federation.server.membership.RemoteInviter;
import org.myelin.federation.server.membership.RemoteJoiner;
import org.myelin.federation.server.membership.RemoteLeaver;
import org.myelin.federation.server.transaction.InboundEduHandler;
import org.myelin.federation.server.transaction.PduChecks;
import org.myelin.federation.server.transaction.TransactionRoutes;
import org.myelin.federation.server.version.VersionRoutes;
import org.myelin.homeserver.config.MyelinProperties;
import org.myelin.homeserver.http.HttpConnectionLimits;
import org.myelin.homeserver.startup.StartupException;
import org.myelin.http.ApiRoutes;
import org.myelin.http.JsonBodies;
import org.myelin.http.outbound.OutboundAddressGuard;
import org.myelin.ephemeral.OutboundEdus;
import org.myelin.ephemeral.presence.PresenceService;
import org.myelin.ephemeral.receipts.ReceiptService;
import org.myelin.ephemeral.typing.TypingService;
import org.myelin.room.api.ClientDirectoryApi;
import org.myelin.room.api.RemoteAliases;
import org.myelin.room.api.RemoteHistory;
import org.myelin.room.api.RemotePublicRooms;
import org.myelin.room.api.RemoteHierarchies;
import org.myelin.room.api.RemoteInvites;
import org.myelin.room.api.RemoteJoins;
import org.myelin.room.api.RemoteLeaves;
import org.myelin.room.api.RemoteProfiles;
import org.myelin.room.graph.GuestRooms;
import org.myelin.room.graph.RoomEventService;
import org.myelin.room.graph.RoomStore;
import org.myelin.room.graph.SpaceSummaries;
import org.myelin.room.keys.SigningKeyRotation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

import reactor.core.scheduler.Scheduler;

/**
 * The server-server side ({@code myelin.federation.*}, {@code myelin.tls.*}, {@code myelin.outbound.*},
 * {@code myelin.trusted-key-servers}): the outbound client, the key ring, request authentication, the routes and
 * the TLS listener.
 */
@Configuration(proxyBeanMethods = false)
public class FederationConfiguration {

    @Bean
    ServerKeys serverKeys(MyelinProperties p, ServerName serverName, SigningKey key, Clock clock) {
        return new ServerKeys(serverName, key, SigningKeyRotation.oldKeys(p.dataDir()), clock);
    }

    @Bean
    OutboundAddressGuard outboundAddressGuard(MyelinProperties p) {
        try {
            return OutboundAddressGuard.parse(String.join(",", p.outbound().allowedCidrs()));
        } catch (IllegalArgumentException e) {
            throw new StartupException("MYELIN_OUTBOUND_ALLOWED_CIDRS: " + e.getMessage());
        }
    }

    @Bean(destroyMethod = "close")
    FederationClient federationClient(MyelinProperties p, ServerName serverName, SigningKey key,
            OutboundAddressGuard guard, Clock clock) {
        MyelinProperties.Federation f = p.federation();
        Optional<Path> caFile = f.caFile().isBlank() ? Optional.empty() : Optional.of(Path.of(f.caFile()));
        try {
            return new FederationClient(new FederationClient.Settings(serverName, f.requestTimeout(),
                    f.maxResponseBytes(), f.verifyTls(), caFile, guard, dnsServers(f.dnsServers())), key, clock);
        } catch (IllegalArgumentException e) {
            throw new StartupException("MYELIN_FEDERATION_CA_FILE: " + e.getMessage());
        }
    }

    @Bean
    KeyRing keyRing(MyelinProperties p, ServerKeys keys, Database db, FederationClient client,
            Scheduler cpuScheduler, Clock clock) {
        return new KeyRing(keys, new ServerKeyRepository(db), client,
                serverNames("MYELIN_TRUSTED_KEY_SERVERS", p.trustedKeyServers()), cpuScheduler, clock);
    }

    @Bean
    RequestAuthenticator requestAuthenticator(MyelinProperties p, ServerName serverName, KeyRing keys,
            JsonBodies bodies, Scheduler cpuScheduler, Clock clock) {
        List<String> allowed = p.federation().allowedServers().isEmpty() ? List.of("*")
                : p.federation().allowedServers();
        return new RequestAuthenticator(serverName, keys, bodies,
                new ServerAcl(true, allowed, p.federation().deniedServers()), cpuScheduler, clock);
    }

    @Bean
    PduChecks pduChecks(KeyRing keys, RoomStore store, Scheduler cpuScheduler) {
        return new PduChecks(keys, store, cpuScheduler);
    }

    /** Joins of rooms this server is not in, for the client API's /join. */
    @Bean
    RemoteJoins remoteJoins(MyelinProperties p, ServerName serverName, FederationClient client, EventSigning signing,
            PduChecks checks, RoomStore store, RoomEventService events, Clock clock) {
        return federates(p) ? new RemoteJoiner(serverName, client, signing, checks, events, store, clock)
                : RemoteJoins.NONE;
    }

    /** Rejections of invites to rooms this server is not in, through the inviter's server. */
    @Bean
    RemoteLeaves remoteLeaves(MyelinProperties p, ServerName serverName, RoomStore store, FederationClient client,
            EventSigning signing, Clock clock) {
        return federates(p) ? new RemoteLeaver(serverName, store, client, signing, clock) : RemoteLeaves.NONE;
    }

    /** Other servers' users' profiles, asked of them. */
    @Bean
    RemoteProfiles remoteProfiles(MyelinProperties p, FederationClient client) {
        return federates(p) ? new RemoteProfileQuery(client) : RemoteProfiles.NONE;
    }

    /** Other servers' room aliases, asked of them. */
    @Bean
    RemoteAliases remoteAliases(MyelinProperties p, FederationClient client) {
        return federates(p) ? new RemoteDirectory(client) : RemoteAliases.NONE;
    }

    /** History from before what this server holds, for /messages paging back past it. */
    @Bean
    RemoteHistory remoteHistory(MyelinProperties p, ServerName serverName, RoomStore store, RoomEventService events,
            PduChecks checks, FederationClient client, Clock clock) {
        return federates(p) ? new HistoryBackfill(serverName, store, events, checks, client, clock)
                : RemoteHistory.NONE;
    }

    @Bean
    RemotePublicRooms remotePublicRooms(MyelinProperties p, FederationClient client) {
        return federates(p) ? new RemoteRoomDirectory(client) : RemotePublicRooms.NONE;
    }

    /** Spaces and rooms this server is not in, asked of the servers their parents name. */
    @Bean
    RemoteHierarchies remoteHierarchies(MyelinProperties p, FederationClient client) {
        return federates(p) ? new RemoteSpaceHierarchy(client) : RemoteHierarchies.NONE;
    }

    /** Invites of other servers' users, handed to their servers. */
    @Bean
    RemoteInvites remoteInvites(MyelinProperties p, RoomStore store, FederationClient client) {
        return federates(p) ? new RemoteInviter(store, client) : RemoteInvites.NONE;
    }

    @Bean
    ApiRoutes keyRoutes(ServerKeys keys, KeyRing ring, JsonBodies bodies, Clock clock) {
        return KeyRoutes.of(keys, ring, bodies, clock);
    }

    @Bean
    ApiRoutes federationRoutes(MyelinProperties p, RequestAuthenticator auth, ServerName serverName,
            ProfileRepository profiles, EventSigning signing, ClientDirectoryApi directory, RoomStore store,
            RoomEventService events, PduChecks checks, FederationClient client, TypingService typing,
            ReceiptService receipts, PresenceService presence, List<InboundEduHandler> e2eeEduHandlers,
            SpaceSummaries spaces, GuestRooms guests, Clock clock) {
        FederationRouteTable table = new FederationRouteTable(auth);
        QueryRoutes.addTo(table, serverName, profiles, directory, p.federation().publicRooms());
        List<InboundEduHandler> eduHandlers = new ArrayList<>(e2eeEduHandlers);
        eduHandlers.add(new PresenceEdus(store, presence));
        TransactionRoutes.addTo(table, new TransactionRoutes.Parts(store, events, checks, client, typing, receipts,
                eduHandlers, guests, clock));
        MembershipRoutes.addTo(table, serverName, store, events, checks, signing);
        ReadRoutes.addTo(table, serverName, store, checks, clock);
        SpaceRoutes.addTo(table, spaces, checks);
        return table.build();
    }

    @Bean
    ApiRoutes federationVersionRoutes() {
        String version = FederationConfiguration.class.getPackage().getImplementationVersion();
        return VersionRoutes.of(version == null ? "development build" : version);
    }

    @Bean
    FederationSender federationSender(ServerName serverName, Database db, FederationClient client,
            StreamNotifier notifier, Clock clock) {
        return new FederationSender(serverName, new DestinationRepository(db), client, notifier.positions(), clock);
    }

    @Bean
    FederationSenderLifecycle federationSenderLifecycle(MyelinProperties p, FederationSender sender) {
        return new FederationSenderLifecycle(sender, federates(p));
    }

    /** Local users' typing and receipts for the other servers in their rooms; nothing when federation is off. */
    @Bean
    OutboundEdus outboundEdus(MyelinProperties p, ServerName serverName, Database db, FederationSender sender,
            Clock clock) {
        return !federates(p) ? OutboundEdus.NONE
                : new EduQueue(serverName, new DestinationRepository(db), sender, clock);
    }

    /** The TLS listener, or none when {@code MYELIN_FEDERATION_PORT} is -1. */
    @Bean
    FederationListener federationListener(MyelinProperties p, ObjectProvider<HttpHandler> handler,
            HttpConnectionLimits limits) {
        MyelinProperties.Federation federation = p.federation();
        if (federation.port() < -1 || federation.port() > 65535) {
            throw new StartupException("MYELIN_FEDERATION_PORT must be -1 (off), 0 (any free port) or a port, not "
                    + federation.port());
        }
        FederationCertificate certificate = federation.port() == -1 ? null : FederationCertificate.load(
                p.tls().certificate(), p.tls().privateKey(), p.dataDir(), p.serverName());
        return new FederationListener(new FederationListener.Settings(federation.listenAddress(), federation.port(),
                federation.clientApi(), certificate), handler, limits);
    }

    /** Federation is on unless MYELIN_FEDERATION_PORT is -1: then no request leaves for another server. */
    private static boolean federates(MyelinProperties p) {
        return p.federation().port() != -1;
    }

    private static List<ServerName> serverNames(String setting, List<String> names) {
        try {
            return names.stream().filter(n -> !n.isBlank()).map(n -> ServerName.parse(n.strip())).toList();
        } catch (MatrixException e) {
            throw new StartupException(setting + ": " + e.getMessage());
        }
    }

    /** {@code host[:port]} entries (port 53 by default) of {@code MYELIN_FEDERATION_DNS_SERVERS}. */
    private static List<InetSocketAddress> dnsServers(List<String> entries) {
        return entries.stream().filter(e -> !e.isBlank()).map(e -> {
            ServerName parsed;
            try {
                parsed = ServerName.parse(e.strip());
            } catch (MatrixException ex) {
                throw new StartupException("MYELIN_FEDERATION_DNS_SERVERS: '" + e + "' is not host[:port]");
            }
            String host = parsed.host().startsWith("[") ? parsed.host().substring(1, parsed.host().length() - 1)
                    : parsed.host();
            return new InetSocketAddress(host, parsed.port().orElse(53));
        }).toList();
    }
}
