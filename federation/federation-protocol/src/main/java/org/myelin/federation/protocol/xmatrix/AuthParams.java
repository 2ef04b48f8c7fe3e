package org.myelin.federation.protocol.xmatrix;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

/**
 * Reads the parameters of an {@code Authorization} header (RFC 9110 section 11.4): a scheme, one or more spaces,
 * then comma-separated {@code name=value} pairs with optional spaces and tabs around the commas. Names are
 * case-insensitive; values are tokens or quoted strings with backslash escapes. As the Matrix spec asks,
 * unquoted values may also contain colons (and, to be lenient, any character but whitespace and comma).
 */
final class AuthParams {

    private final String header;
    private int pos;

    private AuthParams(String header) {
        this.header = header;
    }

    /** The parameters, names lower-cased, or an {@code M_UNAUTHORIZED} failure when the header is malformed. */
    static Map<String, String> parse(String header, String scheme) {
        if (header == null || header.length() <= scheme.length()
                || !header.regionMatches(true, 0, scheme, 0, scheme.length()) || header.charAt(scheme.length()) != ' ') {
            throw malformed("expected the " + scheme + " scheme");
        }
        AuthParams reader = new AuthParams(header);
        reader.pos = scheme.length();
        return reader.params();
    }

    private Map<String, String> params() {
        Map<String, String> params = new HashMap<>();
        skipWhitespace();
        while (true) {
            String name = name().toLowerCase(Locale.ROOT);
            skipWhitespace();
            expect('=');
            skipWhitespace();
            String value = pos < header.length() && header.charAt(pos) == '"' ? quoted() : unquoted();
            if (params.putIfAbsent(name, value) != null) {
                throw malformed("parameter " + name + " given twice");
            }
            skipWhitespace();
            if (pos == header.length()) {
                return params;
            }
            expect(',');
            skipWhitespace();
        }
    }

    private String name() {
        int start = pos;
        while (pos < header.length() && isTokenChar(header.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw malformed("expected a parameter name");
        }
        return header.substring(start, pos);
    }

    private String quoted() {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < header.length()) {
            char c = header.charAt(pos++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (pos == header.length()) {
                    break;
                }
                c = header.charAt(pos++);
            }
            value.append(c);
        }
        throw malformed("unterminated quoted value");
    }

    private String unquoted() {
        int start = pos;
        while (pos < header.length() && header.charAt(pos) != ',' && !isWhitespace(header.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw malformed("empty parameter value");
        }
        return header.substring(start, pos);
    }

    private void expect(char c) {
        if (pos >= header.length() || header.charAt(pos) != c) {
            throw malformed("expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < header.length() && isWhitespace(header.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9110 {@code tchar}. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static MatrixException malformed(String why) {
        return new MatrixException(ErrCode.M_UNAUTHORIZED, "Malformed X-Matrix Authorization header: " + why);
    }
}
