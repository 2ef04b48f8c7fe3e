package org.myelin.clientapi.media.preview;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The OpenGraph fields of an HTML page: every {@code <meta property="og:…">} (the first of each name), with the
 * page's {@code <title>} and {@code <meta name="description">} standing in for a missing {@code og:title} and
 * {@code og:description}, and the first {@code <img>} for a missing {@code og:image}. {@code og:image} is made
 * absolute against the page's URL. Values are cut at {@link #MAX_VALUE_LENGTH} characters, and at most
 * {@link #MAX_FIELDS} fields are kept.
 */
final class OpenGraph {

    static final int MAX_VALUE_LENGTH = 1000;
    static final int MAX_FIELDS = 50;

    private OpenGraph() {
    }

    /** @param charset the charset the server declared, or null to let the page (or jsoup) decide */
    static Map<String, String> parse(byte[] html, String charset, URI page) {
        Document doc;
        try {
            doc = Jsoup.parse(new ByteArrayInputStream(html), charset, page.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> og = new LinkedHashMap<>();
        for (Element meta : doc.select("meta[property^=og:][content]")) {
            if (og.size() >= MAX_FIELDS) {
                break;
            }
            og.putIfAbsent(meta.attr("property"), cut(meta.attr("content")));
        }
        if (!og.containsKey("og:title") && !doc.title().isBlank()) {
            og.put("og:title", cut(doc.title().strip()));
        }
        Element description = doc.selectFirst("meta[name=description][content]");
        if (!og.containsKey("og:description") && description != null && !description.attr("content").isBlank()) {
            og.put("og:description", cut(description.attr("content").strip()));
        }
        if (og.containsKey("og:image")) {
            String image = absolute(page, og.get("og:image"));
            if (image == null) {
                og.remove("og:image");
            } else {
                og.put("og:image", image);
            }
        } else {
            Element img = doc.selectFirst("img[src]");
            if (img != null && !img.absUrl("src").isEmpty()) {
                og.put("og:image", img.absUrl("src"));
            }
        }
        return og;
    }

    private static String absolute(URI page, String reference) {
        try {
            return page.resolve(reference.strip()).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH);
    }
}
