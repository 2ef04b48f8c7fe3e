package org.myelin.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Content-Disposition by the spec's safe list with RFC 6266/8187 file names. */
class MediaDispositionTest {

    @Test
    void onlySafeTypesShouldBeInline() {
        assertThat(MediaDisposition.of("image/png", null)).isEqualTo("inline");
        assertThat(MediaDisposition.of("Text/Plain; charset=utf-8", "a.txt"))
                .isEqualTo("inline; filename=\"a.txt\"");
        assertThat(MediaDisposition.of("text/html", "x.html")).isEqualTo("attachment; filename=\"x.html\"");
        assertThat(MediaDisposition.of("image/svg+xml", null)).isEqualTo("attachment");
        assertThat(MediaDisposition.of("application/javascript", null)).isEqualTo("attachment");
    }

    @Test
    void fileNamesShouldBeQuotedOrPercentEncoded() {
        assertThat(MediaDisposition.fileNameParameter("a \"b\\c\".txt")).isEqualTo("filename=\"a \\\"b\\\\c\\\".txt\"");
        assertThat(MediaDisposition.fileNameParameter("€ rate.pdf")).isEqualTo("filename*=utf-8''%E2%82%AC%20rate.pdf");
        assertThat(MediaDisposition.fileNameParameter("a;b=c")).isEqualTo("filename=\"a;b=c\"");
    }
}
