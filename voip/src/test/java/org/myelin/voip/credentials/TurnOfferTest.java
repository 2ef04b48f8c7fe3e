package org.myelin.voip.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

class TurnOfferTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC);

    @Test
    void offerShouldCarryCredentialsTheRelayAcceptsAndTheConfiguredUris() {
        TurnOffer offer = new TurnOffer(new TurnCredentials("s3cret", Duration.ofHours(1), clock),
                () -> List.of("turn:example.org:3478?transport=udp"));

        TurnOffer.Offer o = offer.offerFor("@alice:example.org");

        assertThat(offer.available()).isTrue();
        assertThat(o.username()).isEqualTo("4600:@alice:example.org");
        assertThat(o.password()).isEqualTo(TurnCredentials.password("s3cret", "4600:@alice:example.org"));
        assertThat(o.uris()).containsExactly("turn:example.org:3478?transport=udp");
        assertThat(o.ttlSeconds()).isEqualTo(3600);
    }

    @Test
    void offerShouldBeUnavailableWhenThereIsNoSecretOrNoUri() {
        assertThat(new TurnOffer(null, () -> List.of("turn:x:1")).available()).isFalse();
        assertThat(new TurnOffer(new TurnCredentials("s", Duration.ofHours(1), clock), List::of).available())
                .isFalse();
    }

    @Test
    void relayUrisShouldListUdpTcpAndTlsAndBracketIpv6() {
        assertThat(TurnOffer.relayUris("turn.example.org", 3478, 3478, 5349)).containsExactly(
                "turn:turn.example.org:3478?transport=udp", "turn:turn.example.org:3478?transport=tcp",
                "turns:turn.example.org:5349?transport=tcp");
        assertThat(TurnOffer.relayUris("::1", 3478, -1, -1)).containsExactly("turn:[::1]:3478?transport=udp");
    }
}
