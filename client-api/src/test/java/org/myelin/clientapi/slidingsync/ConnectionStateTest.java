package org.myelin.clientapi.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.push.notify.UnreadCountsSource.Counts;
import org.myelin.clientapi.slidingsync.ConnectionState.SentRoom;
import org.myelin.clientapi.slidingsync.ConnectionState.Stream;
import org.myelin.clientapi.sync.SyncToken;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.json.JsonMapper;

class ConnectionStateTest {

    private static final RequiredState NAME = RequiredState.of(List.of(List.of("m.room.name", "")));

    @Test
    void theStoredFormShouldReadBackEqual() {
        ConnectionState.Builder b = ConnectionState.EMPTY.toBuilder();
        b.sent("!a:x", new SentRoom("join", 5, NAME, Set.of("@b:x"), new Counts(3, 1)));
        b.sent("!b:x", new SentRoom("invite", 1, NAME, Set.of(), null));
        b.sent("!c:x", new SentRoom("join", 1, RequiredState.NONE, Set.of(), Counts.NONE));
        b.markSent(Stream.RECEIPTS, List.of("!a:x"));
        b.listCounts(Map.of("all", 3));
        ConnectionState state = b.build();

        String json = state.toJson(JsonMapper.shared());

        assertThat(ConnectionState.fromJson(JsonMapper.shared(), json)).isEqualTo(state);
        assertThat(json).containsOnlyOnce("m.room.name");
    }

    @Test
    void aStateStoredBeforeCountsWereKeptShouldReadAsSentWithNone() {
        ConnectionState.Builder b = ConnectionState.EMPTY.toBuilder();
        b.sent("!a:x", new SentRoom("join", 5, NAME, Set.of(), new Counts(3, 1)));
        String json = b.build().toJson(JsonMapper.shared());
        String older = json.replace(",\"counts\":{\"notifications\":3,\"highlights\":1}", "");
        assertThat(older).isNotEqualTo(json);

        assertThat(ConnectionState.fromJson(JsonMapper.shared(), older).sent().get("!a:x").counts())
                .isEqualTo(Counts.NONE);
    }

    @Test
    void unsentUpdatesShouldPutLiveRoomsBehindAndLeaveTheOthers() {
        ConnectionState.Builder b = ConnectionState.EMPTY.toBuilder();
        b.markSent(Stream.ROOMS, List.of("!live:x"));
        ConnectionState before = b.build();
        ConnectionState.Builder next = before.toBuilder();
        next.markUnsent(Stream.ROOMS, List.of("!live:x", "!never:x"), 40);
        ConnectionState behind = next.build();
        assertThat(behind.rooms()).containsExactlyEntriesOf(Map.of("!live:x", 40L));
        ConnectionState.Builder later = behind.toBuilder();
        later.markUnsent(Stream.ROOMS, List.of("!live:x"), 90);
        assertThat(later.build().rooms()).containsEntry("!live:x", 40L);
        assertThat(before).isNotEqualTo(behind);
        assertThat(before.toBuilder().build()).isEqualTo(before);
    }

    @Test
    void posShouldReadBackAndRefuseWhatThisServerDidNotWrite() {
        SlidingPos pos = new SlidingPos(12, new SyncToken(Map.of("events", 5L, "typing", 2L)));
        assertThat(SlidingPos.parse(pos.format())).isEqualTo(pos);
        assertThat(pos.format()).isEqualTo("12/sevents-5~typing-2");
        for (String bad : List.of("", "12", "/sevents-5", "x/sevents-5", "12/events", "1234567890123456789/s")) {
            assertThatThrownBy(() -> SlidingPos.parse(bad)).isInstanceOf(MatrixException.class);
        }
    }
}
