package org.myelin.clientapi.media.preview;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.myelin.db.media.UrlPreviewRepository;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.outbound.GuardedHttpClient;
import org.myelin.http.outbound.OutboundException;
import org.myelin.media.MediaService;
import org.myelin.media.ThumbnailService;
import org.springframework.http.MediaType;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Previews of URLs: the URL is fetched through the outbound guard (every redirect checked again) within a size and
 * time limit; an HTML page gives its {@link OpenGraph} fields, an image itself is the preview's image. The image is
 * downloaded the same way into the content repository, so that {@code og:image} is an mxc:// URI (with
 * {@code og:image:type}, {@code og:image:width}/{@code height} and {@code matrix:image:size}), as Synapse does; an
 * image that cannot be fetched is left out. Answers are cached per URL for the configured time, for every user and
 * node; concurrent requests for one URL on a node share one fetch.
 */
public final class UrlPreviewService {

    /**
     * @param enabled  whether {@code preview_url} is served at all ({@code MYELIN_URL_PREVIEWS})
     * @param maxBytes the largest page or image fetched
     * @param cacheTtl how long an answer is reused
     */
    public record Settings(boolean enabled, long maxBytes, Duration cacheTtl) {
    }

    /** URLs longer than this are refused. */
    static final int MAX_URL_LENGTH = 2048;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Settings settings;
    private final GuardedHttpClient http;
    private final MediaService media;
    private final UrlPreviewRepository cache;
    private final Scheduler cpu;
    private final Clock clock;
    private final Map<String, Mono<Map<String, Object>>> fetching = new ConcurrentHashMap<>();

    public UrlPreviewService(Settings settings, GuardedHttpClient http, MediaService media,
            UrlPreviewRepository cache, Scheduler cpu, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.media = media;
        this.cache = cache;
        this.cpu = cpu;
        this.clock = clock;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** The preview of {@code url} for {@code userId} (who owns the image stored for it). */
    public Mono<Map<String, Object>> preview(String userId, String url) {
        URI uri = checked(url);
        return cache.find(url, clock.millis()).map(UrlPreviewService::decode)
                .switchIfEmpty(Mono.defer(() -> fetching.computeIfAbsent(url, u -> fetch(userId, uri)
                        .flatMap(og -> cache.put(u, encode(og), clock.millis(),
                                clock.millis() + settings.cacheTtl().toMillis()).thenReturn(og))
                        .doFinally(signal -> fetching.remove(u)).cache())));
    }

    private static URI checked(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            throw MatrixException.invalidParam("url is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw MatrixException.invalidParam("url must be an absolute http or https URL");
        }
        return uri;
    }

    private Mono<Map<String, Object>> fetch(String userId, URI uri) {
        return http.get(uri, settings.maxBytes(), Map.of("Accept", "text/html, image/*;q=0.9, */*;q=0.1"))
                .onErrorMap(OutboundException.class, UrlPreviewService::asMatrixError)
                .flatMap(response -> {
                    if (response.status() != 200) {
                        return Mono.error(new MatrixException(ErrCode.M_UNKNOWN, 502,
                                "The URL answered " + response.status()));
                    }
                    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
                    String base = ThumbnailService.baseType(type);
                    if (base.startsWith("image/")) {
                        return image(userId, base, response.body());
                    }
                    if (base.equals("text/html") || base.equals("application/xhtml+xml")) {
                        return Mono.fromCallable(() -> OpenGraph.parse(response.body(), charset(type),
                                response.uri())).subscribeOn(cpu).flatMap(og -> withImage(userId, og));
                    }
                    return Mono.<Map<String, Object>>just(new LinkedHashMap<>());
                });
    }

    /** The page's fields, its og:image replaced by the stored copy (or dropped with its og:image:* fields). */
    private Mono<Map<String, Object>> withImage(String userId, Map<String, String> og) {
        Map<String, Object> fields = new LinkedHashMap<>(og);
        String image = og.get("og:image");
        fields.keySet().removeIf(k -> k.startsWith("og:image"));
        if (image == null) {
            return Mono.just(fields);
        }
        URI imageUri;
        try {
            imageUri = new URI(image);
        } catch (URISyntaxException e) {
            return Mono.just(fields);
        }
        return http.get(imageUri, settings.maxBytes(), Map.of("Accept", "image/*"))
                .filter(r -> r.status() == 200)
                .flatMap(r -> {
                    String type = ThumbnailService.baseType(r.headers().get(HttpHeaderNames.CONTENT_TYPE));
                    return type.startsWith("image/") ? image(userId, type, r.body()) : Mono.empty();
                })
                .map(imageFields -> {
                    fields.putAll(imageFields);
                    return fields;
                })
                .onErrorResume(e -> e instanceof OutboundException || e instanceof MatrixException,
                        e -> Mono.just(fields))
                .defaultIfEmpty(fields);
    }

    /** Stores an image and describes it: og:image (mxc), og:image:type, its size in pixels and bytes. */
    private Mono<Map<String, Object>> image(String userId, String type, byte[] bytes) {
        return media.storeFetched(userId, type, bytes).flatMap(mxc -> Mono.fromCallable(() -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("og:image", mxc);
            fields.put("og:image:type", type);
            dimensions(bytes).ifPresent(d -> {
                fields.put("og:image:width", d[0]);
                fields.put("og:image:height", d[1]);
            });
            fields.put("matrix:image:size", (long) bytes.length);
            return fields;
        }).subscribeOn(cpu));
    }

    /** Width and height from the image's header, when ImageIO reads its format. */
    private static Optional<int[]> dimensions(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new int[] {reader.getWidth(0), reader.getHeight(0)});
            } finally {
                reader.dispose();
            }
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String charset(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getCharset() == null ? null : type.getCharset().name();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Synapse's answers: 403 for an IP the guard refuses, 502 for a name without a permitted address. */
    private static MatrixException asMatrixError(OutboundException e) {
        return switch (e.reason()) {
            case BLOCKED_ADDRESS -> new MatrixException(ErrCode.M_UNKNOWN, 403, "IP address blocked");
            case NO_ADDRESS -> new MatrixException(ErrCode.M_UNKNOWN, 502,
                    "DNS resolution failure during URL preview generation");
            case TOO_LARGE -> new MatrixException(ErrCode.M_TOO_LARGE, 502, "The content is larger than the"
                    + " preview size limit");
            case BAD_REDIRECT, BAD_URL, FAILED -> new MatrixException(ErrCode.M_UNKNOWN, 502,
                    "Failed to download content: " + e.getMessage());
        };
    }

    private static String encode(Map<String, Object> og) {
        return JSON.writeValueAsString(og);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decode(String json) {
        try {
            return JSON.readValue(json, LinkedHashMap.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("A cached URL preview is not JSON", e);
        }
    }
}
