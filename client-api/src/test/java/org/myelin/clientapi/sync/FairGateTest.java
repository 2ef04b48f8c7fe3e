package org.myelin.clientapi.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class FairGateTest {

    private final List<String> started = new ArrayList<>();
    private final List<Sinks.One<String>> finishers = new ArrayList<>();

    private Mono<String> work(String name) {
        Sinks.One<String> done = Sinks.one();
        return Mono.defer(() -> {
            started.add(name);
            finishers.add(done);
            return done.asMono();
        });
    }

    @Test
    void aUserWithManyPendingComputationsShouldNotDelayAnotherByMoreThanOneTurn() {
        FairGate gate = new FairGate(1);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            gate.submit("@greedy:x", work("greedy " + i)).subscribe(results::add);
        }
        gate.submit("@other:x", work("other")).subscribe(results::add);

        assertThat(started).containsExactly("greedy 0");
        assertThat(gate.running()).isEqualTo(1);
        assertThat(gate.waiting()).isEqualTo(100);
        finishers.get(0).tryEmitValue("g0");
        assertThat(started).containsExactly("greedy 0", "other");
        finishers.get(1).tryEmitValue("o");
        assertThat(started).containsExactly("greedy 0", "other", "greedy 1");
        assertThat(results).containsExactly("g0", "o");
    }

    @Test
    void atMostTheSlotsShouldRunAndACancelledWaiterShouldLeaveTheQueue() {
        FairGate gate = new FairGate(2);
        gate.submit("@a:x", work("a1")).subscribe();
        gate.submit("@b:x", work("b1")).subscribe();
        Disposable gone = gate.submit("@c:x", work("c1")).subscribe();
        gate.submit("@d:x", work("d1")).subscribe();
        assertThat(started).containsExactly("a1", "b1");
        assertThat(gate.waiting()).isEqualTo(2);

        gone.dispose();
        assertThat(gate.waiting()).isEqualTo(1);
        finishers.get(0).tryEmitValue("done");
        assertThat(started).containsExactly("a1", "b1", "d1");
    }

    @Test
    void cancellingRunningWorkShouldFreeItsSlot() {
        FairGate gate = new FairGate(1);
        Disposable running = gate.submit("@a:x", work("a1")).subscribe();
        gate.submit("@b:x", work("b1")).subscribe();
        running.dispose();
        assertThat(started).containsExactly("a1", "b1");
        assertThat(gate.running()).isEqualTo(1);
        assertThat(gate.waiting()).isZero();
    }
}
