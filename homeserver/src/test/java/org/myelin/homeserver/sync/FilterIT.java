package org.myelin.homeserver.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.clientapi.sync.SyncFilters;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.federation.protocol.filter.EventFormat;
import org.myelin.federation.protocol.filter.Filter;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** POST/GET /user/{userId}/filter over HTTP, and the /sync filter parameter resolved against stored filters. */
class FilterIT extends HomeserverIT {

    private static final Map<String, Object> SPEC_EXAMPLE = Map.of(
            "room", Map.of(
                    "state", Map.of("types", List.of("m.room.*"), "not_rooms", List.of("!726s6s6q:example.com")),
                    "timeline", Map.of("limit", 10, "types", List.of("m.room.message"),
                            "not_rooms", List.of("!726s6s6q:example.com"), "not_senders", List.of("@spam:example.com")),
                    "ephemeral", Map.of("types", List.of("m.receipt", "m.typing"),
                            "not_rooms", List.of("!726s6s6q:example.com"),
                            "not_senders", List.of("@spam:example.com"))),
            "presence", Map.of("types", List.of("m.presence"), "not_senders", List.of("@alice:example.com")),
            "event_format", "client",
            "event_fields", List.of("type", "content", "sender"));

    @Autowired
    private SyncFilters syncFilters;

    @Test
    void anUploadedFilterShouldBeReturnedAsUploaded() {
        Session s = accounts.register(unique("filter"), "pw-filter-1");

        String id = (String) ok(post(filters(s.userId()), SPEC_EXAMPLE, s.accessToken())).get("filter_id");

        assertThat(id).isNotEmpty().doesNotStartWith("{");
        assertThat(ok(get(filters(s.userId()) + "/" + id, s.accessToken()))).isEqualTo(SPEC_EXAMPLE);
        String second = (String) ok(post(filters(s.userId()), Map.of(), s.accessToken())).get("filter_id");
        assertThat(second).isNotEqualTo(id);
        assertThat(ok(get(filters(s.userId()) + "/" + second, s.accessToken()))).isEmpty();
    }

    @Test
    void uploadingShouldNeedATokenAndBeOnlyForOneself() {
        Session s = accounts.register(unique("filterauth"), "pw-filter-2");
        Session other = accounts.register(unique("filterother"), "pw-filter-3");

        expectError(post(filters(s.userId()), Map.of(), null), 401, "M_MISSING_TOKEN");
        expectError(post(filters(other.userId()), Map.of(), s.accessToken()), 403, "M_FORBIDDEN");
    }

    @Test
    void malformedFiltersShouldBe400WithTheSchemaErrcode() {
        Session s = accounts.register(unique("filterbad"), "pw-filter-4");
        String uri = filters(s.userId());

        expectError(post(uri, Map.of("room", "all"), s.accessToken()), 400, "M_BAD_JSON");
        expectError(post(uri, Map.of("event_fields", "type"), s.accessToken()), 400, "M_BAD_JSON");
        expectError(post(uri, Map.of("room", Map.of("timeline", Map.of("limit", "10"))), s.accessToken()), 400,
                "M_BAD_JSON");
        expectError(post(uri, Map.of("room", Map.of("include_leave", "yes")), s.accessToken()), 400, "M_BAD_JSON");
        expectError(post(uri, Map.of("presence", Map.of("not_senders", List.of(7))), s.accessToken()), 400,
                "M_BAD_JSON");
        expectError(post(uri, Map.of("event_format", "xml"), s.accessToken()), 400, "M_INVALID_PARAM");
        expectError(post(uri, Map.of("room", Map.of("rooms", List.of("#alias:test"))), s.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(uri, Map.of("room", Map.of("timeline", Map.of("limit", -1))), s.accessToken()), 400,
                "M_INVALID_PARAM");
        expectError(post(uri, List.of(), s.accessToken()), 400, "M_BAD_JSON");
        expectError(http.post().uri(uri).contentType(MediaType.APPLICATION_JSON)
                .header("Authorization", s.bearer()).bodyValue("{not json").exchange(), 400, "M_NOT_JSON");
    }

    @Test
    void unknownAndOtherUsersFiltersShouldBe404NotFound() {
        Session s = accounts.register(unique("filterget"), "pw-filter-5");
        Session other = accounts.register(unique("filterget"), "pw-filter-6");
        String theirs = (String) ok(post(filters(other.userId()), Map.of(), other.accessToken())).get("filter_id");

        expectError(get(filters(s.userId()) + "/" + theirs, s.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(filters(other.userId()) + "/" + theirs, s.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(filters(s.userId()) + "/999999999", s.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(filters(s.userId()) + "/not-a-number", s.accessToken()), 404, "M_NOT_FOUND");
        expectError(get(filters(s.userId()) + "/" + theirs, null), 401, "M_MISSING_TOKEN");
    }

    @Test
    void syncFilterParameterShouldResolveInlineAndStoredFilters() {
        Session s = accounts.register(unique("filtersync"), "pw-filter-7");
        Session other = accounts.register(unique("filtersync"), "pw-filter-8");
        String id = (String) ok(post(filters(s.userId()), SPEC_EXAMPLE, s.accessToken())).get("filter_id");
        String theirs = (String) ok(post(filters(other.userId()), Map.of(), other.accessToken())).get("filter_id");

        Filter stored = syncFilters.resolve(s.userId(), id).block();
        Filter inline = syncFilters.resolve(s.userId(), "{\"event_format\":\"federation\","
                + "\"room\":{\"timeline\":{\"limit\":3}}}").block();

        assertThat(stored.room().timeline().limitOr(20, 100)).isEqualTo(10);
        assertThat(stored.eventFields()).containsExactly("type", "content", "sender");
        assertThat(inline.eventFormat()).isEqualTo(EventFormat.FEDERATION);
        assertThat(inline.room().timeline().limitOr(20, 100)).isEqualTo(3);
        assertThat(syncFilters.resolve(s.userId(), null).block()).isEqualTo(Filter.DEFAULT);
        assertRejected(s.userId(), theirs, ErrCode.M_INVALID_PARAM);
        assertRejected(s.userId(), "424242424", ErrCode.M_INVALID_PARAM);
        assertRejected(s.userId(), "{not json", ErrCode.M_INVALID_PARAM);
        assertRejected(s.userId(), "{\"room\":{\"timeline\":[]}}", ErrCode.M_BAD_JSON);
    }

    private void assertRejected(String userId, String filterParam, ErrCode errcode) {
        assertThatThrownBy(() -> syncFilters.resolve(userId, filterParam).block())
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.errCode()).isEqualTo(errcode);
                    assertThat(e.status()).isEqualTo(400);
                });
    }

    private static String filters(String userId) {
        return "/_matrix/client/v3/user/" + userId + "/filter";
    }
}
