package org.myelin.homeserver.api;

import org.junit.jupiter.api.Test;
import org.myelin.homeserver.support.HomeserverIT;

class ServerInfoIT extends HomeserverIT {

    @Test
    void versionsShouldListV119WithoutAuthentication() {
        http.get().uri("/_matrix/client/versions").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.versions[?(@ == 'v1.19')]").exists();
    }

    @Test
    void unknownPathShouldBe404Unrecognized() {
        http.get().uri("/_matrix/client/v3/no/such/thing").exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.errcode").isEqualTo("M_UNRECOGNIZED");
    }

    @Test
    void knownPathWithWrongMethodShouldBe405Unrecognized() {
        http.delete().uri("/_matrix/client/v3/login").exchange()
                .expectStatus().isEqualTo(405)
                .expectBody().jsonPath("$.errcode").isEqualTo("M_UNRECOGNIZED");
    }
}
