package org.myelin.federation.protocol.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.json.CanonicalJson.Mode;

import tools.jackson.databind.JsonNode;

/** Writes one tree as canonical JSON; a new instance per document. */
final class CanonicalJsonWriter {

    /**
     * Orders strings by Unicode code point. {@link String#compareTo} compares UTF-16 units, which puts astral
     * characters (surrogate pairs, U+D800..) before U+E000..U+FFFF; code point order does not.
     */
    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Mode mode;
    private final StringBuilder out = new StringBuilder(256);

    CanonicalJsonWriter(Mode mode) {
        this.mode = mode;
    }

    byte[] write(JsonNode value) {
        writeValue(value);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void writeValue(JsonNode value) {
        if (value == null || value.isNull()) {
            out.append("null");
        } else if (value.isBoolean()) {
            out.append(value.booleanValue());
        } else if (value.isNumber()) {
            out.append(CanonicalNumbers.text(value, mode));
        } else if (value.isString()) {
            writeString(value.stringValue());
        } else if (value.isArray()) {
            writeArray(value);
        } else if (value.isObject()) {
            writeObject(value);
        } else {
            throw MatrixException.badJson("Cannot encode a " + value.getNodeType() + " node as JSON");
        }
    }

    private void writeArray(JsonNode array) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(array.get(i));
        }
        out.append(']');
    }

    private void writeObject(JsonNode object) {
        List<String> names = new ArrayList<>(object.propertyNames());
        names.sort(CODE_POINT_ORDER);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(names.get(i));
            out.append(':');
            writeValue(object.get(names.get(i)));
        }
        out.append('}');
    }

    /** Only {@code "}, {@code \} and U+0000..U+001F are escaped; everything else is written as is. */
    private void writeString(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw MatrixException.badJson("String contains an unpaired UTF-16 surrogate");
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
