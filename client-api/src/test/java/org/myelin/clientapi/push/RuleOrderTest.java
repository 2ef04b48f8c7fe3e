package org.myelin.clientapi.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;

class RuleOrderTest {

    private static final List<String> RULES = List.of("a", "b", "c");

    @Test
    void newRuleShouldBecomeTheMostImportantWhenNotPlaced() {
        assertThat(RuleOrder.place(RULES, "n", null, null)).containsExactly("n", "a", "b", "c");
        assertThat(RuleOrder.place(List.of(), "n", null, null)).containsExactly("n");
    }

    @Test
    void updatedRuleShouldKeepItsPlaceWhenNotPlaced() {
        assertThat(RuleOrder.place(RULES, "b", null, null)).containsExactly("a", "b", "c");
        assertThat(RuleOrder.place(RULES, "c", null, null)).containsExactly("a", "b", "c");
    }

    @Test
    void ruleShouldGoJustBeforeBeforeOrJustAfterAfter() {
        assertThat(RuleOrder.place(RULES, "n", "b", null)).containsExactly("a", "n", "b", "c");
        assertThat(RuleOrder.place(RULES, "n", null, "b")).containsExactly("a", "b", "n", "c");
        assertThat(RuleOrder.place(RULES, "n", null, "c")).containsExactly("a", "b", "c", "n");
        assertThat(RuleOrder.place(RULES, "a", null, "c")).containsExactly("b", "c", "a");
        assertThat(RuleOrder.place(RULES, "c", "a", null)).containsExactly("c", "a", "b");
    }

    @Test
    void beforeShouldWinWhenBothAreGiven() {
        assertThat(RuleOrder.place(RULES, "n", "a", "c")).containsExactly("n", "a", "b", "c");
    }

    @Test
    void unknownOrDefaultOrSelfRelativeRuleShouldBeRejected() {
        for (String[] relative : new String[][] {{"x", null}, {null, "x"}, {".m.rule.master", null}, {"b", null}}) {
            assertThatThrownBy(() -> RuleOrder.place(RULES, "b", relative[0], relative[1]))
                    .isInstanceOfSatisfying(MatrixException.class, e -> {
                        assertThat(e.errCode()).isEqualTo(ErrCode.M_UNKNOWN);
                        assertThat(e.status()).isEqualTo(400);
                    });
        }
    }
}
