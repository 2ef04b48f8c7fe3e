package org.myelin.clientapi.ephemeral.accountdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class TagRulesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void orderShouldBeANumberFromZeroToOne() {
        assertThat(TagHandler.checkOrder(JSON.objectNode().put("order", 0))).isNotNull();
        assertThat(TagHandler.checkOrder(JSON.objectNode().put("order", 1))).isNotNull();
        assertThat(TagHandler.checkOrder(JSON.objectNode())).isNotNull();
        assertThatThrownBy(() -> TagHandler.checkOrder(JSON.objectNode().put("order", -0.1)))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_INVALID_PARAM));
        assertThatThrownBy(() -> TagHandler.checkOrder(JSON.objectNode().put("order", "1")))
                .isInstanceOfSatisfying(MatrixException.class,
                        e -> assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON));
    }

    @Test
    void tagsOfShouldCopyStoredTagsAndSurviveMalformedOnes() {
        ObjectNode stored = JSON.objectNode();
        stored.putObject("tags").putObject("u.a").put("order", 0.5);

        ObjectNode copy = TagHandler.tagsOf(stored);
        ((ObjectNode) copy.get("tags")).remove("u.a");

        assertThat(stored.get("tags").has("u.a")).isTrue();
        assertThat(TagHandler.tagsOf(null).toString()).isEqualTo("{\"tags\":{}}");
        assertThat(TagHandler.tagsOf(JSON.objectNode().put("tags", 3)).toString()).isEqualTo("{\"tags\":{}}");
    }

    @Test
    void serverManagedTypesShouldBe405BadJson() {
        assertThatThrownBy(() -> AccountDataHandler.refuseServerManaged("m.push_rules"))
                .isInstanceOfSatisfying(MatrixException.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.errCode()).isEqualTo(ErrCode.M_BAD_JSON);
                });
        AccountDataHandler.refuseServerManaged("m.direct");
    }
}
