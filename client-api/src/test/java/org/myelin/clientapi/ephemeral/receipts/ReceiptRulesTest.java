package org.myelin.clientapi.ephemeral.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.myelin.db.ephemeral.ReceiptRepository.Receipt;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class ReceiptRulesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void threadIdShouldBeUnthreadedMainOrAnEventId() {
        assertThat(ReceiptHandler.threadId(JSON.objectNode(), "m.read")).isEmpty();
        assertThat(ReceiptHandler.threadId(JSON.objectNode().put("thread_id", "main"), "m.read")).isEqualTo("main");
        assertThat(ReceiptHandler.threadId(JSON.objectNode().put("thread_id", "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"), "m.read.private"))
                .isEqualTo("$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg");
    }

    @Test
    void badThreadIdsShouldBeInvalidParams() {
        for (JsonNode body : List.of(JSON.objectNode().put("thread_id", ""), JSON.objectNode().put("thread_id", 1),
                JSON.objectNode().putNull("thread_id"), JSON.objectNode().put("thread_id", "side"))) {
            assertThatThrownBy(() -> ReceiptHandler.threadId(body, "m.read")).isInstanceOfSatisfying(
                    MatrixException.class, e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        }
        assertThatThrownBy(() -> ReceiptHandler.threadId(JSON.objectNode().put("thread_id", "main"), "m.fully_read"))
                .isInstanceOf(MatrixException.class);
    }

    @Test
    void receiptsShouldBeGroupedPerRoomEventAndType() {
        Map<String, ObjectNode> events = ReceiptSource.events(List.of(
                new Receipt("!r", "m.read", "@a:x", "", "$e", 10),
                new Receipt("!r", "m.read", "@b:x", "main", "$e", 11),
                new Receipt("!r", "m.read.private", "@a:x", "", "$f", 12),
                new Receipt("!s", "m.read", "@a:x", "", "$g", 13)));

        assertThat(events).containsOnlyKeys("!r", "!s");
        JsonNode content = events.get("!r").get("content");
        assertThat(events.get("!r").get("type").asString()).isEqualTo("m.receipt");
        assertThat(content.get("$e").get("m.read").get("@a:x").toString()).isEqualTo("{\"ts\":10}");
        assertThat(content.get("$e").get("m.read").get("@b:x").toString())
                .isEqualTo("{\"ts\":11,\"thread_id\":\"main\"}");
        assertThat(content.get("$f").get("m.read.private").get("@a:x").get("ts").asLong()).isEqualTo(12);
    }
}
