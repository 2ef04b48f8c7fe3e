package org.myelin.federation.protocol.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class PduLimitsTest {

    private static ObjectNode event() {
        return JsonNodeFactory.instance.objectNode().put("type", "m.room.message").put("sender", "@a:b")
                .put("room_id", "!r:b");
    }

    @Test
    void anEventWithinTheLimitsPasses() {
        assertThat(PduLimits.violation(event(), 65_536)).isEmpty();
    }

    @Test
    void anEventOver64KiBFails() {
        assertThat(PduLimits.violation(event(), 65_537)).hasValueSatisfying(v -> assertThat(v).contains("65536"));
    }

    @Test
    void longIdentifiersFailCountingBytesNotCharacters() {
        assertThat(PduLimits.violation(event().put("type", "x".repeat(255)), 100)).isEmpty();
        assertThat(PduLimits.violation(event().put("type", "x".repeat(256)), 100)).hasValueSatisfying(
                v -> assertThat(v).startsWith("type"));
        assertThat(PduLimits.violation(event().put("state_key", "é".repeat(128)), 100)).hasValueSatisfying(
                v -> assertThat(v).startsWith("state_key"));
    }
}
