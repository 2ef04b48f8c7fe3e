package org.myelin.federation.protocol.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Kahn's algorithm with a tie-break order. */
class TopologicalSortTest {

    @Test
    void readyNodesShouldBeTakenSmallestFirstWhenThereAreNoEdges() {
        assertThat(TopologicalSort.sort(List.of("c", "a", "b"), node -> List.of(), Comparator.naturalOrder()))
                .containsExactly("a", "b", "c");
    }

    @Test
    void dependenciesShouldComeFirstWhenTheTieBreakPrefersTheDependent() {
        // create <- power <- {a, z}; z is preferred by the reversed order but must wait for power.
        Map<String, List<String>> deps = Map.of("create", List.of(), "power", List.of("create"),
                "a", List.of("power", "create"), "z", List.of("power", "outside"));

        assertThat(TopologicalSort.sort(List.of("a", "z", "power", "create"), deps::get,
                Comparator.<String>reverseOrder())).containsExactly("create", "power", "z", "a");
    }

    @Test
    void cyclesShouldBeRejected() {
        Map<String, List<String>> deps = Map.of("x", List.of("y"), "y", List.of("x"));

        assertThatThrownBy(() -> TopologicalSort.sort(List.of("x", "y"), deps::get, Comparator.naturalOrder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cycle");
    }
}
