package org.myelin.db.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPositionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "events 42                  | events   | 42 |",
        "to_device 7 @alice:test    | to_device | 7 | @alice:test",
        "receipts 0 !room:test      | receipts | 0  | !room:test",
        "typing 3 !with space:test  | typing   | 3  | !with space:test",
    })
    void payloadShouldRoundTrip(String payload, String stream, long position, String scope) {
        StreamPosition p = StreamPosition.fromPayload(payload);

        assertThat(p).isEqualTo(new StreamPosition(stream, position, scope));
        assertThat(p.toPayload()).isEqualTo(payload);
        assertThat(p.isResync()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "events", "events x", "Events 1", "events -1", "* -1 x", "1events 2", "events 1 "})
    void foreignPayloadsShouldBeIgnored(String payload) {
        assertThat(StreamPosition.fromPayload(payload)).isNull();
    }

    @Test
    void resyncShouldBeDistinctAndUnpublishableAsAnOrdinaryPosition() {
        assertThat(StreamPosition.resync().isResync()).isTrue();
        assertThat(StreamPosition.fromPayload("* -1")).isEqualTo(StreamPosition.resync());
        assertThatThrownBy(() -> StreamPosition.of("*", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamPosition.of("events", 1, "x".repeat(256)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamPosition.of("e".repeat(65), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channelNamesShouldBePlainIdentifiers() {
        assertThat(StreamNotifier.checkChannel("myelin_streams")).isEqualTo("myelin_streams");
        assertThatThrownBy(() -> StreamNotifier.checkChannel("x; DROP TABLE users"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamNotifier.checkChannel("Upper")).isInstanceOf(IllegalArgumentException.class);
    }
}
