import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Benchmark client for voip/bench/relay-vs-coturn.sh: measures TURN allocations per second. Each allocation uses a
 * fresh UDP socket (a new 5-tuple) and does what a real client does: Allocate, 401 challenge, signed Allocate with
 * TURN REST credentials, then a signed Refresh with LIFETIME 0 to free the relay port.
 * Usage: java AllocationBurst.java PORT SECRET TOTAL THREADS   (prints "allocations seconds failures")
 */
public final class AllocationBurst {

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        String secret = args[1];
        int total = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int share = total / threads + (t < total % threads ? 1 : 0);
            workers[t] = new Thread(() -> {
                for (int i = 0; i < share; i++) {
                    try {
                        allocateAndRelease(server, secret);
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f %d%n", ok.get(), seconds, failed.get());
    }

    private static void allocateAndRelease(InetSocketAddress server, String secret) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, server.getAddress())) {
            socket.setSoTimeout(2000);
            byte[] transport = {17, 0, 0, 0};
            byte[] challenge = exchange(socket, server, message(0x0003, attr(0x0019, transport)));
            String realm = text(challenge, 0x0014);
            String nonce = text(challenge, 0x0015);
            String username = (System.currentTimeMillis() / 1000 + 3600) + ":bench";
            Mac hmac = Mac.getInstance("HmacSHA1");
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String password = Base64.getEncoder().encodeToString(hmac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
            byte[] key = MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            byte[] credentials = concat(attr(0x0006, username.getBytes(StandardCharsets.UTF_8)),
                    attr(0x0014, realm.getBytes(StandardCharsets.UTF_8)),
                    attr(0x0015, nonce.getBytes(StandardCharsets.UTF_8)));
            byte[] allocated = exchange(socket, server,
                    signed(message(0x0003, concat(attr(0x0019, transport), credentials)), key));
            if ((((allocated[0] & 0xFF) << 8) | (allocated[1] & 0xFF)) != 0x0103) {
                throw new IllegalStateException("allocation refused");
            }
            exchange(socket, server, signed(message(0x0004, concat(attr(0x000D, new byte[4]), credentials)), key));
        }
    }

    private static byte[] exchange(DatagramSocket socket, InetSocketAddress server, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, server));
        DatagramPacket response = new DatagramPacket(new byte[2048], 2048);
        socket.receive(response);
        return java.util.Arrays.copyOf(response.getData(), response.getLength());
    }

    private static byte[] message(int type, byte[] attributes) {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return ByteBuffer.allocate(20 + attributes.length).putShort((short) type).putShort((short) attributes.length)
                .putInt(0x2112A442).put(id).put(attributes).array();
    }

    private static byte[] signed(byte[] message, byte[] key) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(message.length + 24).put(message);
        out.putShort(2, (short) (message.length + 4));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        mac.update(out.array(), 0, message.length);
        return out.putShort((short) 0x0008).putShort((short) 20).put(mac.doFinal()).array();
    }

    private static byte[] attr(int type, byte[] value) {
        ByteBuffer out = ByteBuffer.allocate(4 + ((value.length + 3) & ~3));
        return out.putShort((short) type).putShort((short) value.length).put(value).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String text(byte[] message, int type) {
        int offset = 20;
        while (offset + 4 <= message.length) {
            int t = ((message[offset] & 0xFF) << 8) | (message[offset + 1] & 0xFF);
            int length = ((message[offset + 2] & 0xFF) << 8) | (message[offset + 3] & 0xFF);
            if (t == type) {
                return new String(message, offset + 4, length, StandardCharsets.UTF_8);
            }
            offset += 4 + ((length + 3) & ~3);
        }
        throw new IllegalStateException("attribute " + type + " missing");
    }
}
