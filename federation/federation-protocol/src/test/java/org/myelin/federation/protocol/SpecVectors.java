package org.myelin.federation.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.myelin.federation.protocol.json.CanonicalJson;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds and loads the shared spec test vectors ({@code shared/spec/vectors}), which live beside the repository
 * clone rather than inside it. Walks up from the working directory looking for {@code shared/spec/vectors} in
 * each ancestor or {@code ../shared/spec/vectors} beside it, and fails loudly when there is none: a test that
 * silently skips its vectors proves nothing.
 */
public final class SpecVectors {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Path ROOT = locate();

    private SpecVectors() {
    }

    /** The {@code vectors} directory. */
    public static Path root() {
        return ROOT;
    }

    /** Parses a vector file, e.g. {@code appendices/signing.json}, relative to {@link #root()}. */
    public static JsonNode load(String relativePath) {
        Path file = ROOT.resolve(relativePath);
        try {
            return MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read spec vector file " + file, e);
        }
    }

    /** The elements of a JSON array as a list, failing when the array is missing or empty. */
    public static List<JsonNode> elements(JsonNode array, String what) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new AssertionError("Spec vectors have no " + what);
        }
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /**
     * The canonical (lenient) JSON text of a tree, for comparing trees regardless of key order: Jackson 3
     * object equality depends on insertion order.
     */
    public static String canonical(JsonNode json) {
        return CanonicalJson.encodeToString(json, CanonicalJson.Mode.LENIENT);
    }

    private static Path locate() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/spec/vectors"), dir.resolve("../shared/spec/vectors"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new AssertionError("No shared/spec/vectors directory above or beside " + start
                + "; clone the shared spec material next to the repository");
    }
}
