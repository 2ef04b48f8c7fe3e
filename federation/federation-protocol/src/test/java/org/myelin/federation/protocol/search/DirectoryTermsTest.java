package org.myelin.federation.protocol.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cutting a user directory search term into words and the tsquery texts built from them. */
class DirectoryTermsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Alice|alice",
            "alice smith|alice smith",
            "@alice.smith:example.org|alice smith example org",
            "  O'Brien--Jr. |o brien jr",
            "José Müller|josé müller",
            "user_42|user 42"})
    void wordsShouldBeCutAtSpacesAndAsciiPunctuation(String term, String words) {
        assertThat(DirectoryTerms.of(term).words()).containsExactly(words.split(" "));
    }

    @Test
    void aTermOfSeparatorsShouldHaveNoWords() {
        assertThat(DirectoryTerms.of(" @:.'\\ ").isEmpty()).isTrue();
        assertThat(DirectoryTerms.of("").isEmpty()).isTrue();
    }

    @Test
    void queriesShouldQuoteEachWordAndJoinThemWithAnd() {
        DirectoryTerms terms = DirectoryTerms.of("Ali Sm");
        assertThat(terms.prefixQuery()).isEqualTo("'ali':* & 'sm':*");
        assertThat(terms.exactQuery()).isEqualTo("'ali' & 'sm'");
    }

    @Test
    void quotesAndBackslashesShouldNeverReachTheQuery() {
        DirectoryTerms terms = DirectoryTerms.of("a'b\\c:*|d&e!f");
        assertThat(terms.words()).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(terms.prefixQuery()).doesNotContain("\\").doesNotContain("''");
    }

    @Test
    void termsShouldKeepAtMostSixteenWords() {
        assertThat(DirectoryTerms.of("a b c d e f g h i j k l m n o p q r s").words())
                .hasSize(DirectoryTerms.MAX_WORDS);
    }
}
