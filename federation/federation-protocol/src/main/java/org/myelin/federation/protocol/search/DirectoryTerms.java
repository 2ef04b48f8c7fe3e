package org.myelin.federation.protocol.search;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A user directory search term as the words it is matched by. The directory indexes each user's localpart,
 * display name and server name cut into words at white space and ASCII punctuation (the V23 migration's
 * {@code myelin_user_directory_words} cuts the same way), so {@code "Alice Smith"}, {@code "alice.smith"} and
 * {@code "@alice.smith:example.org"} all become words a query can match. A user matches when every word of the
 * term starts one of their words ({@link #prefixQuery}); one whose words equal the term's ranks higher
 * ({@link #exactQuery}), as in Synapse.
 *
 * @param words the term's words, lower-cased, at most {@link #MAX_WORDS}
 */
public record DirectoryTerms(List<String> words) {

    /** Words of a term beyond this many are ignored. */
    public static final int MAX_WORDS = 16;

    /** White space and the ASCII punctuation characters, the separators of words. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s!-/:-@\\[-`{-~]+");

    public DirectoryTerms {
        words = List.copyOf(words);
    }

    /** The words of {@code term}; none when it holds only separators. */
    public static DirectoryTerms of(String term) {
        return new DirectoryTerms(Arrays.stream(SEPARATORS.split(term.toLowerCase(Locale.ROOT)))
                .filter(w -> !w.isEmpty()).limit(MAX_WORDS).toList());
    }

    public boolean isEmpty() {
        return words.isEmpty();
    }

    /** A {@code tsquery} text matching users with a word starting with each of the term's words. */
    public String prefixQuery() {
        return words.stream().map(w -> quote(w) + ":*").collect(Collectors.joining(" & "));
    }

    /** A {@code tsquery} text matching users with a word equal to each of the term's words. */
    public String exactQuery() {
        return words.stream().map(DirectoryTerms::quote).collect(Collectors.joining(" & "));
    }

    /** A quoted lexeme; words never hold quotes or backslashes, which are separators. */
    private static String quote(String word) {
        return "'" + word + "'";
    }
}
