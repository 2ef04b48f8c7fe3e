package org.myelin.federation.protocol.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.myelin.federation.protocol.SpecVectors;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

class RoomAndEventIdTest {

    private static final JsonNode EVENT_ID_EXAMPLES =
            SpecVectors.load("appendices/identifiers.json").get("event_id").get("published_format_examples");

    @Test
    void eventIdParseShouldAcceptWhenSpecGivesV3AndV4Shapes() {
        for (String field : new String[] {"room_v3", "room_v4_plus"}) {
            String value = EVENT_ID_EXAMPLES.get(field).stringValue();
            assertThat(EventId.parse(value).value()).isEqualTo(value);
            assertThat(EventId.parse(value).server()).isEmpty();
        }
    }

    @Test
    void eventIdParseShouldExposeServerWhenIdIsRoomV1Form() {
        assertThat(EventId.parse("$0:domain").server()).contains(ServerName.parse("domain"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0:domain", "$", "$short", "$CD66HAED5npg6074c6pDtLKalHjVfYb2q4Q3LZgrW6o+", "$a:",
        "$CD66HAED5npg6074c6pDtLKalHjVfYb2q4Q3LZgrW6!", "$M2htVF5ddNJe35ShF9J8xvpusnYo1+s_aWDa511Jrmk"})
    void eventIdParseShouldRejectWhenSigilHashOrServerIsWrong(String value) {
        assertThatThrownBy(() -> EventId.parse(value)).isInstanceOf(MatrixException.class);
    }

    @Test
    void roomIdParseShouldAcceptWhenV12IdHasNoServer() {
        RoomId id = RoomId.parse("!P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM");
        assertThat(id.server()).isEmpty();
        assertThat(RoomId.fromCreateEventId(EventId.parse("$P5-6WTYQ_woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM"))).isEqualTo(id);
    }

    @Test
    void roomIdParseShouldExposeServerWhenIdHasOne() {
        assertThat(RoomId.parse("!opaque:example.org:8448").server()).contains(ServerName.parse("example.org:8448"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"room:example.org", "!", "!tooshort", "!P5-6WTYQ/woy6f4nmleE0XqxjtZcyKGza5_gDN-KAdM",
        "!a\u0000:example.org", "!a:b_c"})
    void roomIdParseShouldRejectWhenFormIsWrong(String value) {
        assertThatThrownBy(() -> RoomId.parse(value)).isInstanceOf(MatrixException.class);
    }

    @Test
    void roomAliasParseShouldSplitWhenAliasIsValid() {
        RoomAlias alias = RoomAlias.parse("#Somewhere nice:example.org");
        assertThat(alias.localpart()).isEqualTo("Somewhere nice");
        assertThat(alias.toString()).isEqualTo("#Somewhere nice:example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"somewhere:example.org", "#somewhere", "#a:", "#a\u0000:example.org"})
    void roomAliasParseShouldRejectWhenFormIsWrong(String value) {
        assertThatThrownBy(() -> RoomAlias.parse(value)).isInstanceOf(MatrixException.class);
    }

    @Test
    void keyIdParseShouldSplitAlgorithmAndVersion() {
        KeyId id = KeyId.parse("ed25519:a_Obwu");
        assertThat(id.algorithm()).isEqualTo("ed25519");
        assertThat(id.version()).isEqualTo("a_Obwu");
        assertThat(id.isEd25519()).isTrue();
        assertThat(id.toString()).isEqualTo("ed25519:a_Obwu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ed25519:", ":1", "ed25519:a-b", "ed25519:a:b", "ED25519:1"})
    void keyIdParseShouldRejectWhenVersionOrAlgorithmIsMalformed(String value) {
        assertThatThrownBy(() -> KeyId.parse(value)).isInstanceOf(MatrixException.class);
    }
}
