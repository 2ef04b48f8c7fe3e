package org.myelin.federation.protocol.push;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A glob-style pattern (appendix "Glob-style matching": {@code *} matches zero or more characters, {@code ?}
 * exactly one) matched case-insensitively, either against a whole value or, as {@code content.body} and
 * {@code contains_display_name} are matched, against any part of it that starts and ends at a word boundary: the
 * start or end of the value, or any character other than {@code [A-Za-z0-9_]}. A pattern without wildcards is
 * compared without a regular expression (case-insensitively by {@link String#equalsIgnoreCase} for a whole value,
 * by {@link Locale#ROOT} lower case between word boundaries).
 */
public final class Glob {

    private static final String WORD = "[A-Za-z0-9_]";

    private final String literal;
    private final String wordLiteral;
    private final Pattern pattern;

    private Glob(String literal, String wordLiteral, Pattern pattern) {
        this.literal = literal;
        this.wordLiteral = wordLiteral;
        this.pattern = pattern;
    }

    /** A glob that must match the entire value. */
    public static Glob whole(String glob) {
        if (isLiteral(glob)) {
            return new Glob(glob, null, null);
        }
        return new Glob(null, null, compile("\\A" + regex(glob) + "\\z"));
    }

    /** A glob that must match a part of the value between word boundaries. */
    public static Glob words(String glob) {
        if (isLiteral(glob)) {
            return wordsLiteral(glob);
        }
        return new Glob(null, null, compile("(?<!" + WORD + ")" + regex(glob) + "(?!" + WORD + ")"));
    }

    /** A literal text (e.g. a display name) that must appear between word boundaries; wildcards are not special. */
    public static Glob wordsLiteral(String text) {
        return new Glob(null, lower(text), null);
    }

    /** Whether {@code value} matches. */
    public boolean matches(String value) {
        return wordLiteral != null ? matchesLowered(lower(value)) : matchesLowered(value);
    }

    /**
     * Whether a value matches, given it already lower-cased by {@link #lower} when this glob is a word-bounded
     * literal (the common case: a user name, a display name, {@code @room}), so that one event's body is
     * lower-cased once for all the members a room has, and the literal is found without a regular expression.
     */
    public boolean matchesLowered(String value) {
        if (literal != null) {
            return literal.equalsIgnoreCase(value);
        }
        if (wordLiteral == null) {
            return pattern.matcher(value).find();
        }
        if (wordLiteral.isEmpty()) {
            return false;
        }
        for (int at = value.indexOf(wordLiteral); at >= 0; at = value.indexOf(wordLiteral, at + 1)) {
            int end = at + wordLiteral.length();
            if ((at == 0 || !isWordChar(value.charAt(at - 1))) && (end == value.length()
                    || !isWordChar(value.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@link #matchesLowered} wants its value lower-cased. */
    public boolean wantsLowered() {
        return wordLiteral != null;
    }

    /** The lower-casing {@link #matchesLowered} expects. */
    public static String lower(String value) {
        return value.toLowerCase(Locale.ROOT);
    }

    private static boolean isWordChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean isLiteral(String glob) {
        return glob.indexOf('*') < 0 && glob.indexOf('?') < 0;
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
