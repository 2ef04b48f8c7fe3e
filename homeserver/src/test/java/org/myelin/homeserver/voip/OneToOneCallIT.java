package org.myelin.homeserver.voip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidateType;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.TurnCandidateHarvester;
import org.ice4j.security.LongTermCredential;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.myelin.voip.relay.TurnRelayServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * A whole 1-1 Matrix call, end to end, on a real Myelin: two users in a room signal the call with m.call.* room
 * events (sent with PUT /send, received with /sync long-polls), each runs an ice4j ICE agent whose only reachable
 * candidate is a relayed one allocated on Myelin's built-in TURN relay with the credentials /voip/turnServer
 * minted, ICE completes on a relay-to-relay pair, datagrams flow both ways through the relay, and the hangup ends
 * the call and releases both allocations.
 *
 * <p>The agents' host candidates are bound on 127.0.0.2 while the relay (and so every relayed address) is on
 * 127.0.0.1. TURN permissions are per peer IP, and each allocation only gets a permission for the other side's
 * relayed address (127.0.0.1), so a check from a host candidate is dropped by the relay and the only pair that can
 * succeed is relay-to-relay; the assertion on the selected pair's types can therefore fail only if the media took
 * another path.
 */
@TestPropertySource(properties = {
        "myelin.turn.enabled=true",
        "myelin.turn.shared-secret=one-to-one-call-secret",
        "myelin.turn.host=127.0.0.1",
        "myelin.turn.listen-address=127.0.0.1",
        "myelin.turn.udp-port=0",
        "myelin.turn.tcp-port=0",
        "myelin.turn.tls-port=0",
        "myelin.turn.relay-port-min=" + OneToOneCallIT.RELAY_PORT_MIN,
        "myelin.turn.relay-port-max=" + OneToOneCallIT.RELAY_PORT_MAX,
        "myelin.turn.allowed-peer-cidrs=127.0.0.0/8"})
class OneToOneCallIT extends HomeserverIT {

    static final int RELAY_PORT_MIN = 50300;
    static final int RELAY_PORT_MAX = 50399;

    /** What the build (surefire's systemPropertyValues in the root pom) set, before this class touches it. */
    private static final String AWS_MAPPING_FROM_BUILD;

    static {
        AWS_MAPPING_FROM_BUILD = System.getProperty("ice4j.harvest.mapping.aws.enabled");
        // Before any ice4j harvesting class loads: never probe the AWS metadata address from a test.
        System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
        System.setProperty("org.ice4j.ice.harvest.DISABLE_AWS_HARVESTER", "true");
    }

    private static final Logger LOG = LoggerFactory.getLogger(OneToOneCallIT.class);
    private static final String V3 = "/_matrix/client/v3";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int LONG_POLL_MS = 10_000;
    private static final int DATAGRAMS = 20;
    private static final String SYNC_FILTER = "{\"room\":{\"timeline\":{\"limit\":50}}}";
    private static final Pattern UDP_URI = Pattern.compile("turn:127\\.0\\.0\\.1:(\\d+)\\?transport=udp");
    private static final Pattern CANDIDATE = Pattern.compile(
            "candidate:(\\S+) (\\d+) (\\S+) (\\d+) (\\S+) (\\d+) typ (\\S+)(?: raddr (\\S+) rport (\\d+))?.*");
    private static final InetAddress RELAY_IP = loopback("127.0.0.1");
    private static final InetAddress HOST_IP = loopback("127.0.0.2");

    @Autowired
    private TurnRelayServer relay;

    @Autowired
    private MeterRegistry meters;

    private final ExecutorService pollers = Executors.newFixedThreadPool(2);
    private final AtomicInteger txn = new AtomicInteger();
    /** When each call event's PUT /send answered, and when a /sync long-poll handed it to the other party. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> receivedAt = new ConcurrentHashMap<>();

    @AfterEach
    void stopPollers() {
        pollers.shutdownNow();
    }

    @Test
    void aOneToOneCallShouldBeSignalledThroughTheRoomAndCarryDatagramsThroughMyelinsRelay() throws Exception {
        // The root pom's <systemPropertyValues> is not a surefire parameter, so the build sets nothing (null here);
        // the static initializer above (and TurnRelayServer.start()) is what turns the AWS probe off.
        LOG.info("ice4j.harvest.mapping.aws.enabled as the JVM started: {}", AWS_MAPPING_FROM_BUILD);
        Session caller = accounts.register(unique("caller"), "pw");
        Session callee = accounts.register(unique("callee"), "pw");
        String roomId = (String) ok(post(V3 + "/createRoom", Map.of("preset", "private_chat"), caller.accessToken()))
                .get("room_id");
        ok(post(V3 + "/rooms/" + roomId + "/invite", Map.of("user_id", callee.userId()), caller.accessToken()));
        ok(post(V3 + "/rooms/" + roomId + "/join", Map.of(), callee.accessToken()));
        SyncFeed callerFeed = new SyncFeed(caller, roomId);
        SyncFeed calleeFeed = new SyncFeed(callee, roomId);

        assertThat(relay.allocationCount()).isZero();
        Turn callerTurn = turnServer(caller);
        Turn calleeTurn = turnServer(callee);
        assertThat(callerTurn.username()).endsWith(":" + caller.userId());

        CallAgent a = null;
        CallAgent b = null;
        try {
            a = new CallAgent("caller", true, callerTurn);
            b = new CallAgent("callee", false, calleeTurn);
            // Each agent holds exactly one allocation on Myelin's relay, seen by the relay and by its gauge.
            assertThat(relay.allocationCount()).isEqualTo(2);
            assertThat(allocationGauge()).isEqualTo(2);
            for (CallAgent agent : List.of(a, b)) {
                TransportAddress relayed = agent.relayed.getTransportAddress();
                assertThat(relayed.getAddress()).isEqualTo(RELAY_IP);
                assertThat(relayed.getPort()).isBetween(RELAY_PORT_MIN, RELAY_PORT_MAX);
                assertThat(agent.relayed.getRelatedAddress().getAddress()).isEqualTo(HOST_IP);
            }

            String callId = "call-" + UUID.randomUUID();
            String callerParty = caller.deviceId();
            String calleeParty = callee.deviceId();

            // Caller: m.call.invite + m.call.candidates, received by the callee's /sync long-polls, which run on
            // another thread from before they are sent.
            CompletableFuture<List<Map<String, Object>>> offerSeen = async(
                    () -> List.of(calleeFeed.await("m.call.invite", callId),
                            calleeFeed.await("m.call.candidates", callId)));
            long inviteSent = System.nanoTime();
            sendCall(caller, roomId, "m.call.invite", callId, callerParty, Map.of(
                    "lifetime", 60_000, "invitee", callee.userId(),
                    "offer", Map.of("type", "offer", "sdp", a.sdp())));
            sendCall(caller, roomId, "m.call.candidates", callId, callerParty, Map.of("candidates", a.candidates()));
            List<Map<String, Object>> offer = offerSeen.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            long inviteDeliveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inviteSent);
            Map<String, Object> invite = offer.get(0);
            assertThat(invite).containsEntry("sender", caller.userId());
            assertThat(content(invite)).containsEntry("invitee", callee.userId());
            b.setRemote(sdpOf(content(invite), "offer"), candidatesOf(content(offer.get(1))));

            // Callee: m.call.answer + m.call.candidates, then starts its checks (it is the controlled agent).
            CompletableFuture<List<Map<String, Object>>> answerSeen = async(
                    () -> List.of(callerFeed.await("m.call.answer", callId),
                            callerFeed.await("m.call.candidates", callId)));
            sendCall(callee, roomId, "m.call.answer", callId, calleeParty,
                    Map.of("answer", Map.of("type", "answer", "sdp", b.sdp())));
            sendCall(callee, roomId, "m.call.candidates", callId, calleeParty, Map.of("candidates", b.candidates()));
            long iceStarted = System.nanoTime();
            b.agent.startConnectivityEstablishment();
            List<Map<String, Object>> answer = answerSeen.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(answer.get(0)).containsEntry("sender", callee.userId());
            assertThat(content(answer.get(0))).containsEntry("party_id", calleeParty);

            // Caller: selects this answer, then starts its checks.
            CompletableFuture<Map<String, Object>> selectSeen = async(
                    () -> calleeFeed.await("m.call.select_answer", callId));
            sendCall(caller, roomId, "m.call.select_answer", callId, callerParty,
                    Map.of("selected_party_id", calleeParty));
            a.setRemote(sdpOf(content(answer.get(0)), "answer"), candidatesOf(content(answer.get(1))));
            a.agent.startConnectivityEstablishment();
            Map<String, Object> selected = selectSeen.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(content(selected)).containsEntry("selected_party_id", calleeParty);

            a.awaitCompleted();
            b.awaitCompleted();
            long iceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - iceStarted);

            // The selected pair on both sides is relay -> relay, between the addresses that were signalled.
            CandidatePair aPair = a.component.getSelectedPair();
            CandidatePair bPair = b.component.getSelectedPair();
            LOG.info("selected pairs: caller {} ; callee {}", aPair, bPair);
            assertThat(aPair).isNotNull();
            assertThat(bPair).isNotNull();
            assertThat(aPair.getLocalCandidate().getType()).isEqualTo(CandidateType.RELAYED_CANDIDATE);
            assertThat(aPair.getRemoteCandidate().getType()).isEqualTo(CandidateType.RELAYED_CANDIDATE);
            assertThat(bPair.getLocalCandidate().getType()).isEqualTo(CandidateType.RELAYED_CANDIDATE);
            assertThat(bPair.getRemoteCandidate().getType()).isEqualTo(CandidateType.RELAYED_CANDIDATE);
            assertThat(aPair.getLocalCandidate().getTransportAddress()).isEqualTo(a.relayed.getTransportAddress());
            assertThat(aPair.getRemoteCandidate().getTransportAddress()).isEqualTo(b.relayed.getTransportAddress());
            assertThat(bPair.getLocalCandidate().getTransportAddress()).isEqualTo(b.relayed.getTransportAddress());
            assertThat(bPair.getRemoteCandidate().getTransportAddress()).isEqualTo(a.relayed.getTransportAddress());

            // Media: datagrams both ways over the selected pairs' sockets, all of them arriving, from the other
            // side's relayed address.
            long dataStarted = System.nanoTime();
            sendDatagrams(aPair, "caller->callee #");
            assertThat(receiveDatagrams(b, aPair.getLocalCandidate().getTransportAddress(), "caller->callee #"))
                    .hasSize(DATAGRAMS);
            sendDatagrams(bPair, "callee->caller #");
            assertThat(receiveDatagrams(a, bPair.getLocalCandidate().getTransportAddress(), "callee->caller #"))
                    .hasSize(DATAGRAMS);
            long dataMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dataStarted);

            // Hangup: the caller ends the call and frees its agent; the callee sees it and frees its own. Each
            // agent sends TURN Refresh(LIFETIME=0) as it is freed, so each free takes one allocation away.
            assertThat(relay.allocationCount()).isEqualTo(2);
            CompletableFuture<Map<String, Object>> hangupSeen = async(
                    () -> calleeFeed.await("m.call.hangup", callId));
            sendCall(caller, roomId, "m.call.hangup", callId, callerParty, Map.of("reason", "user_hangup"));
            long releaseStarted = System.nanoTime();
            a.free();
            awaitValue("relay allocations after the caller hung up", relay::allocationCount, 1);
            Map<String, Object> hangup = hangupSeen.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(content(hangup)).containsEntry("reason", "user_hangup");
            b.free();
            for (CallAgent agent : List.of(a, b)) {
                assertThat(agent.agent.getState()).isEqualTo(IceProcessingState.TERMINATED);
                assertThat(agent.agent.getStreamCount()).isZero();
                assertThat(agent.component.getSocket().isClosed()).isTrue();
            }

            // Both allocations are gone long before their lifetime (600 s) would have ended them.
            awaitValue("relay allocations after both hung up", relay::allocationCount, 0);
            awaitValue("myelin.turn.allocations gauge", () -> (int) allocationGauge(), 0);
            long releaseMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - releaseStarted);

            // Every m.call.* event each side saw from the other, in room order, with the spec's required fields.
            assertThat(types(calleeFeed.seen)).containsExactly("m.call.invite", "m.call.candidates",
                    "m.call.select_answer", "m.call.hangup");
            assertThat(types(callerFeed.seen)).containsExactly("m.call.answer", "m.call.candidates");
            calleeFeed.seen.forEach(e -> assertSpecFields(e, callId, caller.userId(), callerParty));
            callerFeed.seen.forEach(e -> assertSpecFields(e, callId, callee.userId(), calleeParty));

            LOG.info("call {}: invite+candidates reached the callee's /sync {} ms after the invite was sent; ICE "
                    + "completed {} ms after the callee started checks; {} datagrams each way in {} ms; allocations "
                    + "released {} ms after the hangup was sent; /send -> /sync delivery per event: {}", callId,
                    inviteDeliveredMs, iceMs, DATAGRAMS, dataMs, releaseMs, deliveries(calleeFeed, callerFeed));
        } finally {
            if (a != null) {
                a.free();
            }
            if (b != null) {
                b.free();
            }
        }
    }

    // ---- spec checks ------------------------------------------------------------------------------------------

    /** The required fields of the event (room event as served by /sync) and of its m.call.* content. */
    private static void assertSpecFields(Map<String, Object> event, String callId, String sender, String partyId) {
        String type = (String) event.get("type");
        assertThat((String) event.get("event_id")).as(type + " event_id").startsWith("$");
        assertThat(event).as(type).containsEntry("sender", sender);
        assertThat(event.get("origin_server_ts")).as(type + " origin_server_ts").isInstanceOf(Number.class);
        Map<String, Object> content = content(event);
        assertThat(content).as(type + " content").containsEntry("call_id", callId)
                .containsEntry("party_id", partyId).containsEntry("version", "1");
        switch (type) {
            case "m.call.invite" -> {
                assertThat(content.get("lifetime")).as("lifetime").isInstanceOf(Number.class);
                assertThat(((Number) content.get("lifetime")).longValue()).isEqualTo(60_000L);
                assertDescription(content, "offer", "offer");
            }
            case "m.call.answer" -> assertDescription(content, "answer", "answer");
            case "m.call.candidates" -> {
                List<Map<String, Object>> candidates = list(content.get("candidates"));
                assertThat(candidates).isNotEmpty();
                for (Map<String, Object> c : candidates) {
                    assertThat(c.get("candidate")).as("candidate").isInstanceOf(String.class);
                    if (!((String) c.get("candidate")).isEmpty()) {
                        assertThat(c.containsKey("sdpMid") || c.containsKey("sdpMLineIndex"))
                                .as("sdpMid or sdpMLineIndex in " + c).isTrue();
                    }
                }
            }
            case "m.call.select_answer" -> assertThat(content.get("selected_party_id")).isInstanceOf(String.class);
            case "m.call.hangup" -> assertThat(content.get("reason")).isInstanceOf(String.class);
            default -> fail("unexpected call event " + type);
        }
    }

    private static void assertDescription(Map<String, Object> content, String field, String type) {
        Map<String, Object> description = map(content.get(field));
        assertThat(description).as(field).containsEntry("type", type);
        assertThat(description.get("sdp")).as(field + ".sdp").isInstanceOf(String.class);
    }

    // ---- the ICE side --------------------------------------------------------------------------------------------

    /** One party's ICE agent: a loopback host candidate (127.0.0.2) and a relayed candidate on Myelin's relay. */
    private static final class CallAgent {

        final String name;
        final Agent agent;
        final Component component;
        final LocalCandidate relayed;
        private final CountDownLatch over = new CountDownLatch(1);
        private volatile IceProcessingState outcome;
        private boolean freed;

        CallAgent(String name, boolean controlling, Turn turn) throws Exception {
            this.name = name;
            this.agent = new Agent();
            try {
                agent.setControlling(controlling);
                agent.setUseDynamicPorts(false);
                agent.addCandidateHarvester(new LoopbackHostHarvester(HOST_IP));
                agent.addCandidateHarvester(new TurnCandidateHarvester(
                        new TransportAddress(RELAY_IP, turn.udpPort(), Transport.UDP),
                        new LongTermCredential(turn.username(), turn.password())));
                agent.addStateChangeListener(event -> {
                    IceProcessingState state = (IceProcessingState) event.getNewValue();
                    if (state == IceProcessingState.COMPLETED || state == IceProcessingState.FAILED) {
                        outcome = state;
                        over.countDown();
                    }
                });
                IceMediaStream stream = agent.createMediaStream("audio");
                component = agent.createComponent(stream, KeepAliveStrategy.SELECTED_ONLY, true);
                List<LocalCandidate> relays = component.getLocalCandidates().stream()
                        .filter(c -> c.getType() == CandidateType.RELAYED_CANDIDATE).toList();
                assertThat(relays).as(name + " relayed candidates (TURN allocation)").hasSize(1);
                relayed = relays.get(0);
                LOG.info("{} local candidates: {}", name, component.getLocalCandidates());
            } catch (Exception | AssertionError e) {
                agent.free();
                throw e;
            }
        }

        /** An SDP-ish offer/answer: the parts this test uses are the a=ice-ufrag and a=ice-pwd lines. */
        String sdp() {
            return "v=0\r\n"
                    + "o=- " + Math.abs(agent.getTieBreaker()) + " 1 IN IP4 127.0.0.1\r\n"
                    + "s=myelin one-to-one call test\r\n"
                    + "t=0 0\r\n"
                    + "m=audio " + relayed.getTransportAddress().getPort() + " UDP/AVP 0\r\n"
                    + "c=IN IP4 " + relayed.getTransportAddress().getHostAddress() + "\r\n"
                    + "a=mid:audio\r\n"
                    + "a=ice-ufrag:" + agent.getLocalUfrag() + "\r\n"
                    + "a=ice-pwd:" + agent.getLocalPassword() + "\r\n";
        }

        /** The relayed candidate only, as an SDP a-line, then the end-of-candidates marker. */
        List<Map<String, Object>> candidates() {
            TransportAddress address = relayed.getTransportAddress();
            TransportAddress related = relayed.getRelatedAddress();
            String line = "candidate:" + relayed.getFoundation() + " " + component.getComponentID() + " udp "
                    + relayed.getPriority() + " " + address.getHostAddress() + " " + address.getPort() + " typ "
                    + CandidateType.RELAYED_CANDIDATE + " raddr " + related.getHostAddress() + " rport "
                    + related.getPort() + " generation 0";
            return List.of(Map.of("candidate", line, "sdpMid", "audio", "sdpMLineIndex", 0),
                    Map.of("candidate", "", "sdpMid", "audio", "sdpMLineIndex", 0));
        }

        /** Takes the other party's ufrag/pwd (from its SDP) and candidates (from its m.call.candidates). */
        void setRemote(String sdp, List<Map<String, Object>> candidates) throws UnknownHostException {
            String ufrag = sdpAttribute(sdp, "ice-ufrag");
            String pwd = sdpAttribute(sdp, "ice-pwd");
            IceMediaStream stream = component.getParentStream();
            stream.setRemoteUfrag(ufrag);
            stream.setRemotePassword(pwd);
            int added = 0;
            for (Map<String, Object> c : candidates) {
                String line = (String) c.get("candidate");
                if (line.isEmpty()) {
                    continue; // end-of-candidates
                }
                Matcher m = CANDIDATE.matcher(line);
                assertThat(m.matches()).as("candidate line " + line).isTrue();
                assertThat(m.group(3)).isEqualToIgnoringCase("udp");
                assertThat(m.group(7)).as("only relayed candidates are signalled").isEqualTo("relay");
                assertThat(Integer.parseInt(m.group(2))).isEqualTo(component.getComponentID());
                component.addRemoteCandidate(new RemoteCandidate(
                        new TransportAddress(InetAddress.getByName(m.group(5)), Integer.parseInt(m.group(6)),
                                Transport.UDP),
                        component, CandidateType.parse(m.group(7)), m.group(1), Long.parseLong(m.group(4)), null,
                        ufrag));
                added++;
            }
            assertThat(added).as(name + " remote candidates").isEqualTo(1);
        }

        void awaitCompleted() throws InterruptedException {
            assertThat(over.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(name + " ICE finished in time").isTrue();
            assertThat(outcome).as(name + " ICE outcome").isEqualTo(IceProcessingState.COMPLETED);
        }

        /**
         * Ends the agent. {@code Agent.free()} alone never deletes the TURN allocation: it shuts its StunStack down
         * first and closes the relayed socket afterwards, so the Refresh(LIFETIME=0) that closing sends is refused
         * ("Can not send message, Connector stopped") and the allocation would stay until its lifetime ran out.
         * Removing the stream first closes the relayed candidate while the stack still runs, so the Refresh(0) goes
         * out; only then is the agent freed.
         */
        synchronized void free() {
            if (!freed) {
                freed = true;
                try {
                    for (IceMediaStream stream : agent.getStreams()) {
                        agent.removeStream(stream);
                    }
                } finally {
                    agent.free();
                }
            }
        }
    }

    private static void sendDatagrams(CandidatePair pair, String prefix) throws Exception {
        TransportAddress to = pair.getRemoteCandidate().getTransportAddress();
        for (int i = 0; i < DATAGRAMS; i++) {
            byte[] bytes = (prefix + i).getBytes(StandardCharsets.US_ASCII);
            pair.getIceSocketWrapper().send(new DatagramPacket(bytes, bytes.length, to));
            Thread.sleep(2);
        }
    }

    /** The distinct payloads starting with {@code prefix} that reach the agent's component socket from {@code from}. */
    private static Set<String> receiveDatagrams(CallAgent agent, TransportAddress from, String prefix)
            throws Exception {
        Set<String> got = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        agent.component.getSocket().setSoTimeout(500);
        while (got.size() < DATAGRAMS && System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
            try {
                agent.component.getSocket().receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            String payload = new String(packet.getData(), packet.getOffset(), packet.getLength(),
                    StandardCharsets.US_ASCII);
            if (payload.startsWith(prefix)) {
                assertThat(packet.getSocketAddress()).as("sender of " + payload).isEqualTo(from);
                got.add(payload);
            }
        }
        return got;
    }

    // ---- the Matrix side -----------------------------------------------------------------------------------------

    private record Turn(String username, String password, int udpPort) {
    }

    private Turn turnServer(Session session) {
        Map<String, Object> body = ok(http.get().uri(V3 + "/voip/turnServer")
                .header("Authorization", session.bearer()).exchange());
        List<String> uris = ((List<?>) body.get("uris")).stream().map(Object::toString).toList();
        int port = uris.stream().map(UDP_URI::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no UDP URI of the built-in relay in " + uris));
        assertThat(port).isEqualTo(relay.udpAddress().getPort());
        return new Turn((String) body.get("username"), (String) body.get("password"), port);
    }

    private String sendCall(Session session, String roomId, String type, String callId, String partyId,
            Map<String, Object> fields) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("call_id", callId);
        content.put("party_id", partyId);
        content.put("version", "1");
        content.putAll(fields);
        Map<String, Object> response = ok(http.put()
                .uri(V3 + "/rooms/{roomId}/send/{type}/{txn}", roomId, type, "call" + txn.incrementAndGet())
                .header("Authorization", session.bearer()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(content).exchange());
        String eventId = (String) response.get("event_id");
        assertThat(eventId).startsWith("$");
        sentAt.put(eventId, System.nanoTime());
        return eventId;
    }

    /** One client's /sync stream: long-polls with {@code since}, keeping the other party's m.call.* events. */
    private final class SyncFeed {

        final Session session;
        final String roomId;
        final List<Map<String, Object>> seen = new ArrayList<>();
        private final Set<String> returned = new LinkedHashSet<>();
        private String since;

        SyncFeed(Session session, String roomId) {
            this.session = session;
            this.roomId = roomId;
            this.since = (String) ok(http.get().uri(V3 + "/sync?filter={f}", SYNC_FILTER)
                    .header("Authorization", session.bearer()).exchange()).get("next_batch");
            assertThat(since).isNotBlank();
        }

        /** The next not yet returned event of {@code type} for the call, long-polling for at most {@link #WAIT}. */
        synchronized Map<String, Object> await(String type, String callId) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (Map<String, Object> e : seen) {
                    if (type.equals(e.get("type")) && callId.equals(content(e).get("call_id"))
                            && returned.add((String) e.get("event_id"))) {
                        return e;
                    }
                }
                if (System.nanoTime() > deadline) {
                    fail(session.userId() + " did not receive " + type + " through /sync within " + WAIT
                            + "; saw " + types(seen));
                }
                poll();
            }
        }

        private void poll() {
            Map<String, Object> body = ok(http.get()
                    .uri(V3 + "/sync?since={since}&timeout={timeout}&filter={f}", since, LONG_POLL_MS, SYNC_FILTER)
                    .header("Authorization", session.bearer()).exchange());
            String next = (String) body.get("next_batch");
            assertThat(next).isNotBlank();
            since = next;
            Map<String, Object> timeline = at(body, "rooms", "join", roomId, "timeline");
            if (timeline == null) {
                return;
            }
            assertThat(timeline.get("limited")).as("timeline limited").isNotEqualTo(true);
            for (Map<String, Object> e : list(timeline.get("events"))) {
                if (((String) e.get("type")).startsWith("m.call.") && !session.userId().equals(e.get("sender"))) {
                    seen.add(e);
                    receivedAt.put((String) e.get("event_id"), System.nanoTime());
                }
            }
        }
    }

    private String deliveries(SyncFeed... feeds) {
        List<String> out = new ArrayList<>();
        for (SyncFeed feed : feeds) {
            for (Map<String, Object> e : feed.seen) {
                String id = (String) e.get("event_id");
                out.add(e.get("type") + " " + TimeUnit.NANOSECONDS.toMillis(receivedAt.get(id) - sentAt.get(id))
                        + " ms");
            }
        }
        return String.join(", ", out);
    }

    private <T> CompletableFuture<T> async(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, pollers);
    }

    // ---- small helpers -------------------------------------------------------------------------------------------

    private double allocationGauge() {
        Gauge gauge = meters.find("myelin.turn.allocations").gauge();
        assertThat(gauge).as("myelin.turn.allocations gauge").isNotNull();
        return gauge.value();
    }

    private static void awaitValue(String what, IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (value.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(value.getAsInt()).as(what).isEqualTo(expected);
    }

    private static String sdpOf(Map<String, Object> content, String field) {
        return (String) map(content.get(field)).get("sdp");
    }

    private static String sdpAttribute(String sdp, String name) {
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3);
            }
        }
        throw new AssertionError("no a=" + name + " in SDP " + sdp);
    }

    private static List<Map<String, Object>> candidatesOf(Map<String, Object> content) {
        return list(content.get("candidates"));
    }

    private static List<String> types(List<Map<String, Object>> events) {
        return events.stream().map(e -> (String) e.get("type")).toList();
    }

    private static Map<String, Object> content(Map<String, Object> event) {
        return map(event.get("content"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    private static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> current = root;
        for (String key : path) {
            Object next = current.get(key);
            if (next == null) {
                return null;
            }
            current = map(next);
        }
        return current;
    }

    private static InetAddress loopback(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
