import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

import org.myelin.federation.protocol.crypto.PublicKeys;
import org.myelin.federation.protocol.crypto.SigningKey;
import org.myelin.federation.protocol.crypto.UnpaddedBase64;
import org.myelin.federation.protocol.crypto.VerifyKey;
import org.myelin.federation.protocol.event.EventIds;
import org.myelin.federation.protocol.event.EventSigning;
import org.myelin.federation.protocol.event.EventVerification.Outcome;
import org.myelin.federation.protocol.event.EventVerifier;
import org.myelin.federation.protocol.event.Redactor;
import org.myelin.federation.protocol.id.KeyId;
import org.myelin.federation.protocol.id.ServerName;
import org.myelin.federation.protocol.json.CanonicalJson;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;
import org.myelin.federation.protocol.room.RoomVersion;
import org.myelin.federation.protocol.room.RoomVersions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Benchmark (not a test): the CPU floor of receiving a PDU over federation, on Myelin's own protocol code. Run by
 * homeserver/bench/federation-throughput.sh with the packaged jar's libraries on the class path:
 *
 *   java -cp "<BOOT-INF/lib of homeserver.jar>/*" homeserver/bench/Ed25519Floor.java [seconds per figure]
 *
 * Three figures for one realistic m.room.message PDU of room version 10, each on one thread and on every core:
 * one bare Ed25519 signature check (BouncyCastle, over the canonical redacted bytes), and the whole
 * per-event check a receiving server makes before the auth rules (parse as canonical JSON, redact, check the
 * sender server's signature, compare the content hash, compute the event ID). Both are warmed up (JIT) on every
 * core first. Prints a Markdown table.
 */
public final class Ed25519Floor {

    private static final RoomVersion VERSION = RoomVersions.V10;
    private static final Mode MODE = Mode.of(VERSION);
    private static final ServerName ORIGIN = ServerName.parse("origin.example.org");

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        SigningKey key = SigningKey.generate(KeyId.ed25519("a_bench"), new SecureRandom());
        ObjectNode pdu = new EventSigning(ORIGIN, key, new SecureRandom()).sign(messageEvent(), VERSION).event();
        byte[] wire = CanonicalJson.encode(pdu, MODE);
        PublicKeys keys = PublicKeys.of(ORIGIN, List.of(key.verifyKey()));
        VerifyKey verifyKey = key.verifyKey();
        byte[] signed = CanonicalJson.encode(withoutSignaturesAndUnsigned(Redactor.redact(pdu, VERSION)), MODE);
        byte[] signature = UnpaddedBase64.decode(pdu.path("signatures").path(ORIGIN.value())
                .path(key.keyId().toString()).stringValue());

        Callable<Boolean> bare = () -> verifyKey.verify(signed, signature);
        Callable<Boolean> whole = () -> {
            JsonNode parsed = CanonicalJson.parse(wire, MODE);
            boolean valid = EventVerifier.verify(parsed, VERSION, keys).outcome() == Outcome.VALID;
            return valid && EventIds.compute(parsed, VERSION) != null;
        };
        if (!bare.call() || !whole.call()) throw new IllegalStateException("the benchmark's own PDU does not verify");

        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("PDU: %d bytes of canonical JSON, %d bytes signed; %d cores; %s %s%n%n", wire.length,
                signed.length, cores, System.getProperty("java.vm.name"), System.getProperty("java.version"));
        run(bare, cores, seconds);
        run(whole, cores, seconds);
        System.out.println("| check | threads | per check µs | checks/s | checks/s per core |");
        System.out.println("|---|--:|--:|--:|--:|");
        for (int threads : new int[] {1, cores}) {
            row("Ed25519 signature (bare)", bare, threads, seconds);
            row("whole PDU check (parse, redact, signature, content hash, event ID)", whole, threads, seconds);
        }
    }

    private static void row(String name, Callable<Boolean> check, int threads, double seconds) throws Exception {
        Rate rate = run(check, threads, seconds);
        double perSecond = rate.checks / rate.seconds;
        System.out.printf("| %s | %d | %.1f | %.0f | %.0f |%n", name, threads, 1e6 * threads / perSecond, perSecond,
                perSecond / threads);
    }

    private record Rate(long checks, double seconds) {
    }

    private static Rate run(Callable<Boolean> check, int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        LongAdder checks = new LongAdder();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        try {
            Callable<Void> loop = () -> {
                while (System.nanoTime() < end) {
                    if (!check.call()) throw new IllegalStateException("a check failed");
                    checks.increment();
                }
                return null;
            };
            List<Future<Void>> loops = pool.invokeAll(Collections.nCopies(threads, loop));
            for (Future<Void> f : loops) f.get();
        } finally {
            pool.shutdown();
        }
        return new Rate(checks.sum(), (System.nanoTime() - start) / 1e9);
    }

    private static ObjectNode withoutSignaturesAndUnsigned(ObjectNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove("signatures");
        copy.remove("unsigned");
        return copy;
    }

    /** A message as a busy room carries it: four auth events, one prev event, a sentence of text. */
    private static ObjectNode messageEvent() {
        String json = """
                {"type":"m.room.message","room_id":"!d1pQw8Fz2mX0aLkq:origin.example.org",
                 "sender":"@alice:origin.example.org","origin_server_ts":1796212345678,"depth":4821,
                 "auth_events":["$Qm9v7yJ0xk2c3FeXh8sP1oVw5bT6nR4uLa9dZgKiMjE","$yH3kP0sV9xq2Lm7cB4nR1tW6eA8uZ5oJdGfXiKjhQlM",
                   "$Tn5cQ8wE2rY7uI0oP3aS6dF9gH1jK4lZxCvBnMqWeRt","$Lk0jH9gF8dS7aQ6wE5rT4yU3iO2pZ1xC0vB9nM8qWeA"],
                 "prev_events":["$Pq1wE2rT3yU4iO5pA6sD7fG8hJ9kL0zXcVbNmQwErTy"],
                 "content":{"msgtype":"m.text","body":"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua."},
                 "unsigned":{"age_ts":1796212345678}}""";
        return CanonicalJson.parseObject(json.getBytes(StandardCharsets.UTF_8), MODE);
    }
}
