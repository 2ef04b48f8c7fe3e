package org.myelin.federation.server.media;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.media.MediaDisposition;
import org.myelin.media.RemoteMediaSource.RemoteFile;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.codec.multipart.PartEventHttpMessageReader;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The federation media answer: {@code multipart/mixed} with exactly two parts, JSON metadata ({@code {}}) and then
 * either the media (with its Content-Type and Content-Disposition) or a {@code Location} to fetch it from. Written
 * here for this server's answers; read with Spring's multipart parser for other servers'.
 */
final class MultipartMedia {

    /** What the second part of an answer holds. */
    sealed interface Answer permits Content, Redirect {
    }

    /** The media itself. */
    record Content(RemoteFile file) implements Answer {
    }

    /** Where to fetch the media from. */
    record Redirect(URI location) implements Answer {
    }

    /** A multipart body to send: its Content-Type, length and bytes (the media streamed between head and tail). */
    record Body(String contentType, long length, Flux<DataBuffer> content) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private MultipartMedia() {
    }

    /** The answer carrying {@code size} bytes of {@code media}, of type {@code contentType}. */
    static Body of(String contentType, String fileName, long size, Flux<DataBuffer> media) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String boundary = HexFormat.of().formatHex(random);
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n{}\r\n--" + boundary
                + "\r\nContent-Type: " + contentType + "\r\nContent-Disposition: "
                + MediaDisposition.of(contentType, fileName) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        return new Body("multipart/mixed; boundary=" + boundary, head.length + size + tail.length,
                Flux.concat(Mono.fromSupplier(() -> buffers.wrap(head)), media,
                        Mono.fromSupplier(() -> buffers.wrap(tail))));
    }

    /**
     * Reads another server's answer ({@code contentType} is its Content-Type header); 502 M_UNKNOWN unless it is
     * multipart with a JSON part and then a media or Location part.
     */
    static Mono<Answer> parse(String contentType, byte[] body, long maxBytes) {
        HttpHeaders headers = new HttpHeaders();
        try {
            headers.set(HttpHeaders.CONTENT_TYPE, contentType);
            if (contentType == null || !headers.getContentType().getType().equals("multipart")) {
                return Mono.error(malformed("is not multipart"));
            }
        } catch (RuntimeException e) {
            return Mono.error(malformed("has an unreadable Content-Type"));
        }
        PartEventHttpMessageReader reader = new PartEventHttpMessageReader();
        reader.setMaxParts(2);
        reader.setMaxInMemorySize((int) Math.min(Integer.MAX_VALUE, maxBytes));
        reader.setMaxPartSize(maxBytes);
        ReactiveHttpInputMessage message = new ReactiveHttpInputMessage() {
            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
        return reader.read(ResolvableType.forClass(PartEvent.class), message, Map.of())
                .reduce(new ArrayList<Part>(), MultipartMedia::collect)
                .onErrorMap(e -> !(e instanceof MatrixException), e -> malformed("is not valid multipart: "
                        + e.getMessage()))
                .flatMap(parts -> answer(parts).map(Mono::just).orElseGet(() -> Mono.error(
                        malformed("does not have a JSON part and a media part"))));
    }

    private static ArrayList<Part> collect(ArrayList<Part> parts, PartEvent event) {
        if (parts.isEmpty() || parts.get(parts.size() - 1).complete) {
            parts.add(new Part(event.headers()));
        }
        Part part = parts.get(parts.size() - 1);
        DataBuffer content = event.content();
        try {
            byte[] bytes = new byte[content.readableByteCount()];
            content.read(bytes);
            part.bytes.writeBytes(bytes);
        } finally {
            DataBufferUtils.release(content);
        }
        part.complete = event.isLast();
        return parts;
    }

    private static Optional<Answer> answer(List<Part> parts) {
        if (parts.size() != 2 || !parts.get(0).complete || !parts.get(1).complete
                || !isJson(parts.get(0).headers)) {
            return Optional.empty();
        }
        HttpHeaders media = parts.get(1).headers;
        String location = media.getFirst(HttpHeaders.LOCATION);
        if (location != null) {
            try {
                return Optional.of(new Redirect(URI.create(location.strip())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Content(new RemoteFile(contentTypeOf(media), fileNameOf(media),
                parts.get(1).bytes.toByteArray())));
    }

    private static boolean isJson(HttpHeaders headers) {
        try {
            return headers.getContentType() != null
                    && headers.getContentType().isCompatibleWith(MediaType.APPLICATION_JSON);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The Content-Type as sent, {@code application/octet-stream} when there is none. */
    static String contentTypeOf(HttpHeaders headers) {
        String type = headers.getFirst(HttpHeaders.CONTENT_TYPE);
        return type == null || type.isBlank() ? "application/octet-stream" : type.strip();
    }

    /** The file name a Content-Disposition offers ({@code filename*} or {@code filename}), or null. */
    static String fileNameOf(HttpHeaders headers) {
        String disposition = headers.getFirst(HttpHeaders.CONTENT_DISPOSITION);
        if (disposition == null) {
            return null;
        }
        try {
            String name = ContentDisposition.parse(disposition).getFilename();
            return name == null || name.isEmpty() || name.length() > 255
                    || name.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f) ? null : name;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static MatrixException malformed(String what) {
        return new MatrixException(ErrCode.M_UNKNOWN, 502, "The remote server's media answer " + what);
    }

    /** One part as it is read. */
    private static final class Part {
        final HttpHeaders headers;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean complete;

        Part(HttpHeaders headers) {
            this.headers = headers;
        }
    }
}
