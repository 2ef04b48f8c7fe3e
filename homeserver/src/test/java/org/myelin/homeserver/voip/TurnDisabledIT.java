package org.myelin.homeserver.voip;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.Accounts.Session;
import org.myelin.homeserver.support.HomeserverIT;

/** With the relay off and no external TURN server, /voip/turnServer is 404 M_NOT_FOUND (MSC4166). */
class TurnDisabledIT extends HomeserverIT {

    @Test
    void turnServerShouldBe404NotFoundWhenTurnIsOff() {
        Session dave = accounts.register("dave", "pw");
        http.get().uri("/_matrix/client/v3/voip/turnServer").header("Authorization", dave.bearer()).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.errcode").isEqualTo("M_NOT_FOUND");
    }
}
