package org.myelin.federation.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every condition kind of https://spec.matrix.org/v1.19/client-server-api/#conditions-1, table-driven. */
class PushConditionTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Recipient ALICE = new Recipient("@alice:example.org", "Alice Liddell");

    static JsonNode read(String json) {
        return MAPPER.readTree(json.replace('\'', '"'));
    }

    static PushEvent event(String content) {
        return event("m.room.message", content, 10, 0, Map.of());
    }

    static PushEvent event(String type, String content, long members, long senderLevel, Map<String, Long> levels) {
        JsonNode json = read("{'type':'" + type + "','sender':'@bob:example.org','room_id':'!r:example.org',"
                + "'content':" + content + "}");
        return new PushEvent(json, members, senderLevel, levels);
    }

    private static boolean matches(String condition, PushEvent event) {
        return PushCondition.parse(read(condition)).matches(event, ALICE);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // whole-value globs, case-insensitive
        "{'kind':'event_match','key':'type','pattern':'m.room.message'}   | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'M.ROOM.MESSAGE'}   | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'m.room.*'}         | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'m.room'}           | {}                       | false",
        "{'kind':'event_match','key':'type','pattern':'m.room.messag?'}   | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'m.room.messa?'}    | {}                       | false",
        "{'kind':'event_match','key':'type','pattern':'*'}                | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'m.*.message'}      | {}                       | true",
        "{'kind':'event_match','key':'type','pattern':'m.room.messag[e]'} | {}                       | false",
        "{'kind':'event_match','key':'content.msgtype','pattern':'m.notice'} | {'msgtype':'m.notice'} | true",
        "{'kind':'event_match','key':'content.msgtype','pattern':'m.notice'} | {'msgtype':'m.notices'} | false",
        // the property must exist and be a string, even for '*'
        "{'kind':'event_match','key':'content.msgtype','pattern':'*'}     | {}                       | false",
        "{'kind':'event_match','key':'content.num','pattern':'*'}         | {'num':5}                | false",
        "{'kind':'event_match','key':'content.flag','pattern':'true'}     | {'flag':true}            | false",
        // content.body: a glob over any word-bounded part of the body
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'I like cake!'}  | true",
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'CAKE'}          | true",
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'cakes'}         | false",
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'pancake'}       | false",
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'my_cake'}       | false",
        "{'kind':'event_match','key':'content.body','pattern':'cake'}     | {'body':'(cake)'}        | true",
        "{'kind':'event_match','key':'content.body','pattern':'cake*lie'} | {'body':'the cake is a lie'} | true",
        "{'kind':'event_match','key':'content.body','pattern':'cake*lie'} | {'body':'the cake is a lies'} | false",
        "{'kind':'event_match','key':'content.body','pattern':'@room'}    | {'body':'hey @room!'}    | true",
        "{'kind':'event_match','key':'content.body','pattern':'@room'}    | {'body':'hey @roomba'}   | false",
        "{'kind':'event_match','key':'content.body','pattern':'ca?e'}     | {'body':'line1\\ncase'}   | true",
        // dotted keys with escapes (v1.7+)
        "{'kind':'event_match','key':'content.m\\\\.relates_to.rel_type','pattern':'m.replace'} | {'m.relates_to':{'rel_type':'m.replace'}} | true",
        "{'kind':'event_match','key':'content.m.relates_to.rel_type','pattern':'m.replace'}     | {'m.relates_to':{'rel_type':'m.replace'}} | false",
        "{'kind':'event_match','key':'content.m\\\\\\\\foo','pattern':'bar'}                    | {'m\\\\foo':'bar'}                       | true",
        "{'kind':'event_match','key':'content.m\\\\xfoo','pattern':'bar'}                      | {'m\\\\xfoo':'bar'}                      | true",
        // malformed event_match never matches
        "{'kind':'event_match','key':'type'}                              | {}                       | false",
        "{'kind':'event_match','pattern':'*'}                             | {}                       | false",
        // event_property_is: exact, type-sensitive
        "{'kind':'event_property_is','key':'content.m\\\\.mentions.room','value':true} | {'m.mentions':{'room':true}}  | true",
        "{'kind':'event_property_is','key':'content.m\\\\.mentions.room','value':true} | {'m.mentions':{'room':'true'}} | false",
        "{'kind':'event_property_is','key':'content.m\\\\.mentions.room','value':true} | {'m.mentions':{}}            | false",
        "{'kind':'event_property_is','key':'content.n','value':5}          | {'n':5}                  | true",
        "{'kind':'event_property_is','key':'content.n','value':5}          | {'n':'5'}                | false",
        "{'kind':'event_property_is','key':'content.n','value':5}          | {'n':5.0}                | false",
        "{'kind':'event_property_is','key':'content.n','value':null}       | {'n':null}               | true",
        "{'kind':'event_property_is','key':'content.n','value':null}       | {}                       | false",
        "{'kind':'event_property_is','key':'content.s','value':'Hi'}       | {'s':'hi'}               | false",
        "{'kind':'event_property_is','key':'content.s','value':'hi'}       | {'s':'hi'}               | true",
        "{'kind':'event_property_is','key':'content.o','value':{'a':1}}    | {'o':{'a':1}}            | false",
        "{'kind':'event_property_is','key':'content.n','value':1.5}        | {'n':1.5}                | false",
        // event_property_contains: an array holding the value
        "{'kind':'event_property_contains','key':'content.m\\\\.mentions.user_ids','value':'@alice:example.org'} | {'m.mentions':{'user_ids':['@carol:x','@alice:example.org']}} | true",
        "{'kind':'event_property_contains','key':'content.m\\\\.mentions.user_ids','value':'@alice:example.org'} | {'m.mentions':{'user_ids':['@carol:x']}} | false",
        "{'kind':'event_property_contains','key':'content.m\\\\.mentions.user_ids','value':'@alice:example.org'} | {'m.mentions':{'user_ids':'@alice:example.org'}} | false",
        "{'kind':'event_property_contains','key':'content.tags','value':3}  | {'tags':[1,2,3]}         | true",
        "{'kind':'event_property_contains','key':'content.tags','value':3}  | {'tags':['3']}           | false",
        // contains_display_name: the recipient's name, literally, between word boundaries
        "{'kind':'contains_display_name'}                                  | {'body':'hi Alice Liddell!'} | true",
        "{'kind':'contains_display_name'}                                  | {'body':'hi alice liddell'}  | true",
        "{'kind':'contains_display_name'}                                  | {'body':'hi Alice'}          | false",
        "{'kind':'contains_display_name'}                                  | {'body':'Alice Liddells'}    | false",
        "{'kind':'contains_display_name'}                                  | {'formatted':'Alice Liddell'} | false",
        // unknown kinds never match
        "{'kind':'org.example.custom'}                                     | {}                       | false",
        "{}                                                                | {}                       | false",
    })
    void conditionsShouldMatchAsTheSpecDefines(String condition, String content, boolean expected) {
        assertThat(matches(condition, event(content))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "is {0} with {1} members -> {2}")
    @CsvSource(delimiter = '|', value = {
        "2 | 2 | true", "2 | 3 | false", "==2 | 2 | true", "<2 | 1 | true", "<2 | 2 | false", ">2 | 3 | true",
        ">2 | 2 | false", ">=2 | 2 | true", "<=10 | 10 | true", "<=10 | 11 | false", "=2 | 2 | false",
        "abc | 2 | false", "'' | 0 | false", "-1 | 0 | false",
    })
    void roomMemberCountShouldCompareTheJoinedMembers(String is, long members, boolean expected) {
        PushEvent event = event("m.room.message", "{}", members, 0, Map.of());
        assertThat(matches("{'kind':'room_member_count','is':'" + is + "'}", event)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "sender level {0}, notifications {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "50 | {} | true", "49 | {} | false", "10 | {'room':10} | true", "9 | {'room':10} | false",
        "100 | {'room':100} | true", "0 | {'room':0} | true",
    })
    void senderNotificationPermissionShouldNeedTheNotificationLevel(long senderLevel, String levels,
            boolean expected) {
        Map<String, Long> parsed = new java.util.HashMap<>();
        read(levels).properties().forEach(e -> parsed.put(e.getKey(), e.getValue().asLong()));
        PushEvent event = event("m.room.message", "{}", 5, senderLevel, parsed);
        assertThat(matches("{'kind':'sender_notification_permission','key':'room'}", event)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "display name {0}")
    @CsvSource(delimiter = '|', value = {"''", "null"}, nullValues = "null")
    void anEmptyOrMissingDisplayNameShouldNotMatch(String name) {
        PushCondition condition = PushCondition.parse(read("{'kind':'contains_display_name'}"));
        assertThat(condition.matches(event("{'body':'anything at all'}"), new Recipient("@a:x", name))).isFalse();
    }
}
