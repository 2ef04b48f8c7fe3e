package org.myelin.homeserver.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.TwoNodeIT;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Two nodes of one homeserver with S3 storage and media directories of their own (so they share nothing but the
 * database and the bucket): each serves, and thumbnails, what the other stored. The S3 server is s3proxy, a real
 * S3 implementation over jclouds' filesystem store, running in this JVM on a loopback port.
 */
class S3TwoNodeIT extends TwoNodeIT {

    private static final String BUCKET = "myelin-media";
    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-key";

    private static S3Proxy proxy;
    private static Path bucketRoot;
    private static Path nodeBMedia;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        if (proxy == null) {
            bucketRoot = Files.createTempDirectory("myelin-s3");
            nodeBMedia = Files.createTempDirectory("myelin-media-b");
            Properties props = new Properties();
            props.setProperty("jclouds.filesystem.basedir", bucketRoot.toString());
            BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("id", "secret")
                    .overrides(props).build(BlobStoreContext.class);
            context.getBlobStore().createContainerInLocation(null, BUCKET);
            proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
            proxy.start();
            while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
                Thread.sleep(10);
            }
        }
        Path nodeAMedia = Files.createTempDirectory("myelin-media-a");
        registry.add("myelin.media.directory", nodeAMedia::toString);
        registry.add("myelin.media.s3.endpoint", S3TwoNodeIT::endpoint);
        registry.add("myelin.media.s3.bucket", () -> BUCKET);
        registry.add("myelin.media.s3.access-key", () -> ACCESS_KEY);
        registry.add("myelin.media.s3.secret-key", () -> SECRET_KEY);
    }

    private static String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    @AfterAll
    static void stopProxy() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    @Override
    protected List<String> nodeBArguments() {
        return List.of("--myelin.media.directory=" + nodeBMedia, "--myelin.media.s3.endpoint=" + endpoint(),
                "--myelin.media.s3.bucket=" + BUCKET, "--myelin.media.s3.access-key=" + ACCESS_KEY,
                "--myelin.media.s3.secret-key=" + SECRET_KEY);
    }

    @Test
    void eachNodeShouldServeWhatTheOtherStored() throws Exception {
        Session alice = accounts.register(unique("alice"), "pw-alice-1");
        MediaClient onA = new MediaClient(http);
        MediaClient onB = new MediaClient(nodeB);

        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(big);
        String fromA = onA.uploaded(alice, "application/octet-stream", "random.bin", big);
        assertThat(onB.download(fromA, alice).getResponseBody()).isEqualTo(big);
        byte[] part = nodeB.get().uri(MediaClient.DOWNLOAD + MediaClient.path(fromA))
                .header("Authorization", alice.bearer()).header("Range", "bytes=1000-1999").exchange()
                .expectStatus().isEqualTo(206).expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(big, 1000, 2000));

        byte[] png = TestImages.png(500, 400);
        String fromB = onB.uploaded(alice, "image/png", "pic.png", png);
        assertThat(onA.download(fromB, alice).getResponseBody()).isEqualTo(png);
        byte[] thumbOnA = thumbnail(http, fromB, alice);
        assertThat(TestImages.read(thumbOnA).getWidth()).isEqualTo(96);
        assertThat(thumbnail(nodeB, fromB, alice)).isEqualTo(thumbOnA);

        assertThat(filesUnder(nodeBMedia.resolve("content"))).as("node B kept no blob locally").isZero();
        assertThat(filesUnder(bucketRoot.resolve(BUCKET))).as("blobs in the bucket").isGreaterThanOrEqualTo(3);
    }

    private static byte[] thumbnail(WebTestClient client, String mxc, Session s) {
        return client.get().uri(MediaClient.THUMBNAIL + MediaClient.path(mxc) + "?width=96&height=96&method=crop")
                .header("Authorization", s.bearer()).exchange().expectStatus().isOk().expectBody(byte[].class)
                .returnResult().getResponseBody();
    }

    private static long filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
