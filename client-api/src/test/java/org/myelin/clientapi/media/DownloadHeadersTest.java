package org.myelin.clientapi.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Content-Disposition by the spec's safe list with RFC 6266/8187 file names, and single byte ranges. */
class DownloadHeadersTest {

    @Test
    void onlySafeTypesShouldBeInline() {
        assertThat(DownloadHeaders.disposition("image/png", null)).isEqualTo("inline");
        assertThat(DownloadHeaders.disposition("Text/Plain; charset=utf-8", "a.txt"))
                .isEqualTo("inline; filename=\"a.txt\"");
        assertThat(DownloadHeaders.disposition("text/html", "x.html")).isEqualTo("attachment; filename=\"x.html\"");
        assertThat(DownloadHeaders.disposition("image/svg+xml", null)).isEqualTo("attachment");
        assertThat(DownloadHeaders.disposition("application/javascript", null)).isEqualTo("attachment");
    }

    @Test
    void fileNamesShouldBeQuotedOrPercentEncoded() {
        assertThat(DownloadHeaders.fileNameParameter("a \"b\\c\".txt")).isEqualTo("filename=\"a \\\"b\\\\c\\\".txt\"");
        assertThat(DownloadHeaders.fileNameParameter("€ rate.pdf")).isEqualTo("filename*=utf-8''%E2%82%AC%20rate.pdf");
        assertThat(DownloadHeaders.fileNameParameter("a;b=c")).isEqualTo("filename=\"a;b=c\"");
    }

    @Test
    void rangesShouldBeParsedAsRfc9110Says() {
        assertThat(ByteRange.of(Optional.empty(), 10)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of(Optional.of("bytes=2-4"), 10)).isEqualTo(new ByteRange.Part(new ByteRange(2, 3)));
        assertThat(ByteRange.of(Optional.of("bytes=5-"), 10)).isEqualTo(new ByteRange.Part(new ByteRange(5, 5)));
        assertThat(ByteRange.of(Optional.of("bytes=-3"), 10)).isEqualTo(new ByteRange.Part(new ByteRange(7, 3)));
        assertThat(ByteRange.of(Optional.of("bytes=-30"), 10)).isEqualTo(new ByteRange.Part(new ByteRange(0, 10)));
        assertThat(ByteRange.of(Optional.of("bytes=8-100"), 10)).isEqualTo(new ByteRange.Part(new ByteRange(8, 2)));
        assertThat(ByteRange.of(Optional.of("bytes=10-"), 10)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.of(Optional.of("bytes=0-1,4-5"), 10)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of(Optional.of("items=0-1"), 10)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.of(Optional.of("bytes=5-2"), 10)).isInstanceOf(ByteRange.Whole.class);
        assertThat(new ByteRange(2, 3).contentRange(10)).isEqualTo("bytes 2-4/10");
    }
}
