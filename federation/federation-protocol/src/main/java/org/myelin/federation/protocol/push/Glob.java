package org.myelin.federation.protocol.push;

import java.util.regex.Pattern;

/**
 * A glob-style pattern (appendix "Glob-style matching": {@code *} matches zero or more characters, {@code ?}
 * exactly one) matched case-insensitively, either against a whole value or, as {@code content.body} and
 * {@code contains_display_name} are matched, against any part of it that starts and ends at a word boundary: the
 * start or end of the value, or any character other than {@code [A-Za-z0-9_]}. A pattern without wildcards that is
 * matched against a whole value is compared without a regular expression.
 */
public final class Glob {

    private static final String WORD = "[A-Za-z0-9_]";

    private final String literal;
    private final Pattern pattern;

    private Glob(String literal, Pattern pattern) {
        this.literal = literal;
        this.pattern = pattern;
    }

    /** A glob that must match the entire value. */
    public static Glob whole(String glob) {
        if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            return new Glob(glob, null);
        }
        return new Glob(null, compile("\\A" + regex(glob) + "\\z"));
    }

    /** A glob that must match a part of the value between word boundaries. */
    public static Glob words(String glob) {
        return new Glob(null, compile("(?<!" + WORD + ")" + regex(glob) + "(?!" + WORD + ")"));
    }

    /** A literal text (e.g. a display name) that must appear between word boundaries; wildcards are not special. */
    public static Glob wordsLiteral(String text) {
        return new Glob(null, compile("(?<!" + WORD + ")" + Pattern.quote(text) + "(?!" + WORD + ")"));
    }

    /** Whether {@code value} matches. */
    public boolean matches(String value) {
        if (literal != null) {
            return literal.equalsIgnoreCase(value);
        }
        return pattern.matcher(value).find();
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** The glob as an anchored-by-caller regular expression body; anything but the wildcards is literal. */
    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        StringBuilder literalRun = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literalRun.isEmpty()) {
                    out.append(Pattern.quote(literalRun.toString()));
                    literalRun.setLength(0);
                }
                out.append(c == '*' ? ".*?" : ".");
            } else {
                literalRun.append(c);
            }
        }
        if (!literalRun.isEmpty()) {
            out.append(Pattern.quote(literalRun.toString()));
        }
        return out.toString();
    }
}
