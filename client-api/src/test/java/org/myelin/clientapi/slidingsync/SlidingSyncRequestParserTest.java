package org.myelin.clientapi.slidingsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.slidingsync.SlidingSyncRequest.Range;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.json.JsonMapper;

class SlidingSyncRequestParserTest {

    private static SlidingSyncRequest parse(String json) {
        return SlidingSyncRequestParser.parse(JsonMapper.shared().readTree(json));
    }

    private static void refused(String json, ErrCode code) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(MatrixException.class,
                e -> assertThat(e.errCode()).isEqualTo(code));
    }

    @Test
    void anElementWebRequestShouldBeRead() {
        SlidingSyncRequest r = parse("""
                {"conn_id": "main", "lists": {"dms": {"ranges": [[0, 9], [20, 29]], "timeline_limit": 1,
                  "required_state": [["m.room.avatar", ""], ["m.room.member", "$ME"]],
                  "filters": {"is_dm": true, "is_invite": false, "not_tags": ["m.lowpriority"],
                              "room_types": [null, "m.space"], "room_name_like": "ignored"}}},
                 "room_subscriptions": {"!open:x": {"timeline_limit": 50, "required_state": [["*", "*"]],
                   "include_old_rooms": {"timeline_limit": 0, "required_state": []}}},
                 "extensions": {"to_device": {"enabled": true, "since": "42", "limit": 500},
                   "e2ee": {"enabled": true}, "typing": {"enabled": false},
                   "receipts": {"enabled": true, "lists": ["dms"], "rooms": []}, "unknown": {"enabled": true}}}""");
        assertThat(r.connId()).isEqualTo("main");
        var dms = r.lists().get("dms");
        assertThat(dms.ranges()).containsExactly(new Range(0, 9), new Range(20, 29));
        assertThat(dms.config().timelineLimit()).isEqualTo(1);
        assertThat(dms.config().requiredState().entries()).containsOnlyKeys("m.room.avatar", "m.room.member");
        assertThat(dms.filters().isDm()).isTrue();
        assertThat(dms.filters().isInvite()).isFalse();
        assertThat(dms.filters().isEncrypted()).isNull();
        assertThat(dms.filters().roomTypes()).containsExactly(null, "m.space");
        assertThat(r.subscriptions().get("!open:x").timelineLimit()).isEqualTo(50);
        assertThat(r.extensions().toDevice().since()).isEqualTo(42);
        assertThat(r.extensions().toDevice().limit()).isEqualTo(100);
        assertThat(r.extensions().e2ee()).isTrue();
        assertThat(r.extensions().typing()).isNull();
        assertThat(r.extensions().receipts().lists()).containsExactly("dms");
        assertThat(r.extensions().receipts().rooms()).isEmpty();
        assertThat(r.extensions().accountData()).isNull();
        assertThat(r.hasRooms()).isTrue();
    }

    @Test
    void anEmptyBodyShouldAskForNothing() {
        SlidingSyncRequest r = parse("{}");
        assertThat(r.connId()).isEmpty();
        assertThat(r.hasRooms()).isFalse();
        assertThat(r.extensions()).isEqualTo(SlidingSyncRequest.Extensions.NONE);
    }

    @Test
    void hugeRangeEndsShouldReadAsTheLargestInt() {
        SlidingSyncRequest r = parse("""
                {"lists": {"l": {"ranges": [[0, 99999999999999]], "timeline_limit": 0, "required_state": []}}}""");
        assertThat(r.lists().get("l").ranges()).containsExactly(new Range(0, Integer.MAX_VALUE));
    }

    @Test
    void badValuesShouldBeRefusedWithTheirErrcode() {
        refused("{\"lists\": []}", ErrCode.M_BAD_JSON);
        refused("{\"lists\": {\"l\": {\"required_state\": []}}}", ErrCode.M_MISSING_PARAM);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": 1}}}", ErrCode.M_MISSING_PARAM);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": \"1\", \"required_state\": []}}}", ErrCode.M_BAD_JSON);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": -1, \"required_state\": []}}}", ErrCode.M_INVALID_PARAM);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": 1, \"required_state\": [[\"a\"]]}}}", ErrCode.M_BAD_JSON);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": 1, \"required_state\": [], \"ranges\": [[3, 1]]}}}",
                ErrCode.M_INVALID_PARAM);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": 1, \"required_state\": [], \"ranges\": [[0.5, 1]]}}}",
                ErrCode.M_BAD_JSON);
        refused("{\"lists\": {\"l\": {\"timeline_limit\": 1, \"required_state\": [], \"filters\": "
                + "{\"tags\": \"m.favourite\"}}}}", ErrCode.M_BAD_JSON);
        refused("{\"lists\": {\"" + "x".repeat(65) + "\": {\"timeline_limit\": 1, \"required_state\": []}}}",
                ErrCode.M_INVALID_PARAM);
        refused("{\"room_subscriptions\": {\"#alias:x\": {\"timeline_limit\": 1, \"required_state\": []}}}",
                ErrCode.M_INVALID_PARAM);
        refused("{\"extensions\": {\"to_device\": {\"enabled\": true, \"since\": \"-1\"}}}", ErrCode.M_INVALID_PARAM);
        refused("{\"extensions\": {\"to_device\": {\"enabled\": true, \"limit\": 0}}}", ErrCode.M_INVALID_PARAM);
        refused("{\"extensions\": {\"e2ee\": {\"enabled\": \"yes\"}}}", ErrCode.M_BAD_JSON);
        refused("{\"conn_id\": 5}", ErrCode.M_BAD_JSON);
        StringBuilder many = new StringBuilder("{\"lists\": {");
        for (int i = 0; i <= SlidingSyncRequestParser.MAX_LISTS; i++) {
            many.append(i == 0 ? "" : ",").append("\"l").append(i)
                    .append("\": {\"timeline_limit\": 1, \"required_state\": []}");
        }
        refused(many.append("}}").toString(), ErrCode.M_INVALID_PARAM);
        assertThat(List.of(ErrCode.M_BAD_JSON)).isNotEmpty();
    }
}
