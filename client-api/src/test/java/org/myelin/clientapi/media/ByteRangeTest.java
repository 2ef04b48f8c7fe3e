package org.myelin.clientapi.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Single byte ranges as RFC 9110 defines them; anything else is answered whole. */
class ByteRangeTest {

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
