package org.myelin.federation.server.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.MatrixException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import reactor.core.publisher.Flux;

/** Reading other servers' multipart media answers, and writing ours so that the same reader reads them back. */
class MultipartMediaTest {

    private static final String TYPE = "multipart/mixed; boundary=b0undary";

    private static MultipartMedia.Answer parse(String type, String body) {
        return MultipartMedia.parse(type, body.getBytes(StandardCharsets.UTF_8), 1 << 20).block(Duration.ofSeconds(5));
    }

    @Test
    void theMediaPartIsReadWithItsTypeAndFileName() {
        MultipartMedia.Answer answer = parse(TYPE, "--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n"
                + "--b0undary\r\nContent-Type: image/png\r\n"
                + "Content-Disposition: inline; filename*=utf-8''%E2%82%AC%20rate.png\r\n\r\n"
                + "PNGBYTES\r\n--b0undary--\r\n");

        assertThat(answer).isInstanceOfSatisfying(MultipartMedia.Content.class, c -> {
            assertThat(c.file().contentType()).isEqualTo("image/png");
            assertThat(c.file().fileName()).isEqualTo("€ rate.png");
            assertThat(new String(c.file().bytes(), StandardCharsets.UTF_8)).isEqualTo("PNGBYTES");
        });
    }

    @Test
    void aLocationPartIsARedirect() {
        MultipartMedia.Answer answer = parse(TYPE, "--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n"
                + "--b0undary\r\nLocation: https://cdn.example.org/m/1?sig=x\r\n\r\n\r\n--b0undary--\r\n");

        assertThat(answer).isEqualTo(new MultipartMedia.Redirect(URI.create("https://cdn.example.org/m/1?sig=x")));
    }

    @Test
    void anAnswerWithoutTypeOrFileNameIsOctetStreamWithoutName() {
        MultipartMedia.Answer answer = parse(TYPE, "--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n"
                + "--b0undary\r\n\r\nxyz\r\n--b0undary--\r\n");

        assertThat(answer).isInstanceOfSatisfying(MultipartMedia.Content.class, c -> {
            assertThat(c.file().contentType()).isEqualTo("application/octet-stream");
            assertThat(c.file().fileName()).isNull();
        });
    }

    @Test
    void malformedAnswersAre502() {
        String json = "--b0undary\r\nContent-Type: application/json\r\n\r\n{}\r\n";
        for (String[] bad : new String[][] {
                {"application/json", "{}"},
                {TYPE, json + "--b0undary--\r\n"},
                {TYPE, "--b0undary\r\nContent-Type: text/plain\r\n\r\nx\r\n--b0undary\r\n\r\ny\r\n--b0undary--\r\n"},
                {TYPE, json + "--b0undary\r\n\r\na\r\n--b0undary\r\n\r\nb\r\n--b0undary--\r\n"},
                {TYPE, json + "--b0undary\r\n\r\ntruncated"},
                {"multipart/mixed", json + "--b0undary\r\n\r\nx\r\n--b0undary--\r\n"}}) {
            assertThatThrownBy(() -> parse(bad[0], bad[1]))
                    .isInstanceOfSatisfying(MatrixException.class, e -> assertThat(e.status()).isEqualTo(502));
        }
    }

    @Test
    void ourAnswerReadsBack() {
        byte[] media = "\r\n--not-the-boundary\r\n".getBytes(StandardCharsets.UTF_8);
        MultipartMedia.Body body = MultipartMedia.of("text/plain", "a.txt", media.length,
                Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(media)));
        byte[] bytes = DataBufferUtils.join(body.content()).map(b -> {
            byte[] all = new byte[b.readableByteCount()];
            b.read(all);
            return all;
        }).block(Duration.ofSeconds(5));

        assertThat((long) bytes.length).isEqualTo(body.length());
        assertThat(MultipartMedia.parse(body.contentType(), bytes, 1 << 20).block(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(MultipartMedia.Content.class, c -> {
                    assertThat(c.file().bytes()).isEqualTo(media);
                    assertThat(c.file().fileName()).isEqualTo("a.txt");
                });
    }
}
