package org.myelin.federation.protocol.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** RoomEventFilter and RoomFilter matching: rooms, not_rooms, contains_url, the flags, and the section split. */
class RoomEventFilterTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final String ROOM = "!r:x";

    @ParameterizedTest(name = "{0} on {1} {2} {3} content {4} -> {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                                       | m.room.message | @a:x | !r:x | {}                   | true",
        "{'rooms':['!r:x']}                       | m.room.message | @a:x | !r:x | {}                   | true",
        "{'rooms':['!r:x']}                       | m.room.message | @a:x | !s:x | {}                   | false",
        "{'rooms':[]}                             | m.room.message | @a:x | !r:x | {}                   | false",
        "{'not_rooms':['!r:x']}                   | m.room.message | @a:x | !r:x | {}                   | false",
        "{'not_rooms':['!r:x']}                   | m.room.message | @a:x | !s:x | {}                   | true",
        "{'not_rooms':['*']}                      | m.room.message | @a:x | !r:x | {}                   | false",
        "{'rooms':['!r:x'],'not_rooms':['!r:x']}  | m.room.message | @a:x | !r:x | {}                   | false",
        "{'contains_url':true}                    | m.room.message | @a:x | !r:x | {'url':'mxc://x/y'}  | true",
        "{'contains_url':true}                    | m.room.message | @a:x | !r:x | {'body':'hi'}        | false",
        "{'contains_url':true}                    | m.room.message | @a:x | !r:x | {'url':5}            | false",
        "{'contains_url':false}                   | m.room.message | @a:x | !r:x | {'url':'mxc://x/y'}  | false",
        "{'contains_url':false}                   | m.room.message | @a:x | !r:x | {'body':'hi'}        | true",
        "{'contains_url':false}                   | m.room.message | @a:x | !r:x | []                   | true",
        "{'types':['m.room.message'],'rooms':['!r:x']} | m.room.member | @a:x | !r:x | {}              | false",
        "{'not_senders':['@a:x'],'rooms':['!r:x']}     | m.room.message | @a:x | !r:x | {}             | false",
    })
    void matchesShouldApplyEveryField(String json, String type, String sender, String roomId, String content,
            boolean expected) {
        RoomEventFilter filter = FilterParser.parseRoomEventFilter(read(json));

        assertThat(filter.matches(type, sender, roomId, read(content))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on an event outside any room -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                       | true",
        "{'not_rooms':['!r:x']}   | true",
        "{'rooms':['!r:x']}       | false",
        "{'not_rooms':['*']}      | false",
    })
    void aMissingRoomShouldPassOnlyFiltersThatNameNoRooms(String json, boolean expected) {
        RoomEventFilter filter = FilterParser.parseRoomEventFilter(read(json));

        assertThat(filter.matches("m.presence", "@a:x", null, null)).isEqualTo(expected);
    }

    @Test
    void flagsShouldDefaultToFalseAndReadWhenGiven() {
        RoomEventFilter none = FilterParser.parseRoomEventFilter(read("{}"));
        RoomEventFilter all = FilterParser.parseRoomEventFilter(read("{'lazy_load_members':true,"
                + "'include_redundant_members':true,'unread_thread_notifications':true}"));

        assertThat(none.lazyLoadMembers()).isFalse();
        assertThat(none.includeRedundantMembers()).isFalse();
        assertThat(none.unreadThreadNotifications()).isFalse();
        assertThat(none.containsUrl()).isNull();
        assertThat(all.lazyLoadMembers()).isTrue();
        assertThat(all.includeRedundantMembers()).isTrue();
        assertThat(all.unreadThreadNotifications()).isTrue();
    }

    @ParameterizedTest(name = "{0}: blocks everything = {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                      | false",
        "{'rooms':[]}            | true",
        "{'not_rooms':['*']}     | true",
        "{'types':[]}            | true",
        "{'not_rooms':['!r:x']}  | false",
    })
    void blocksEverythingShouldIncludeRooms(String json, boolean expected) {
        assertThat(FilterParser.parseRoomEventFilter(read(json)).blocksEverything()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "room filter {0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{}                                      | !r:x | true",
        "{'rooms':['!r:x']}                      | !r:x | true",
        "{'rooms':['!r:x']}                      | !s:x | false",
        "{'not_rooms':['!r:x']}                  | !r:x | false",
        "{'rooms':['!r:x'],'not_rooms':['!r:x']} | !r:x | false",
        "{'not_rooms':['*']}                     | !r:x | false",
    })
    void roomFilterShouldApplyRoomsBeforeTheSections(String json, String roomId, boolean expected) {
        RoomFilter room = FilterParser.parse(read("{'room':" + json + "}")).room();

        assertThat(room.allowsRoom(roomId)).isEqualTo(expected);
    }

    @Test
    void roomFilterShouldKeepEachSectionApart() {
        RoomFilter room = FilterParser.parse(read("{'room':{'include_leave':true,"
                + "'timeline':{'limit':3,'types':['m.room.message']},'state':{'lazy_load_members':true},"
                + "'ephemeral':{'not_types':['m.typing']},'account_data':{'types':['m.tag']}}}")).room();

        assertThat(room.includeLeave()).isTrue();
        assertThat(room.timeline().limitOr(10, 50)).isEqualTo(3);
        assertThat(room.timeline().matches("m.room.member", "@a:x", ROOM, null)).isFalse();
        assertThat(room.state().lazyLoadMembers()).isTrue();
        assertThat(room.state().matches("m.room.member", "@a:x", ROOM, null)).isTrue();
        assertThat(room.ephemeral().matches("m.typing", "@a:x", ROOM, null)).isFalse();
        assertThat(room.ephemeral().matches("m.receipt", "@a:x", ROOM, null)).isTrue();
        assertThat(room.accountData().matches("m.tag", "@a:x", ROOM, null)).isTrue();
        assertThat(room.accountData().matches("m.fully_read", "@a:x", ROOM, null)).isFalse();
        assertThat(FilterParser.parse(read("{}")).room().includeLeave()).isFalse();
    }

    private static JsonNode read(String json) {
        return MAPPER.readTree(json.replace('\'', '"'));
    }
}
