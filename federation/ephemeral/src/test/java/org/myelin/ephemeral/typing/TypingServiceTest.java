package org.myelin.ephemeral.typing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TypingServiceTest {

    @Test
    void timeoutsShouldBeCappedSoLapsedClientsStopTypingSoon() {
        assertThat(TypingService.capped(5000)).isEqualTo(5000);
        assertThat(TypingService.capped(10_000_000L)).isEqualTo(TypingService.MAX_TIMEOUT_MS);
    }
}
