package org.myelin.federation.protocol.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.json.JsonMapper;

class ServerAclTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static boolean allows(String content, String server) {
        return ServerAcl.fromContent(JSON.readTree(content)).allows(ServerName.parse(server));
    }

    @Test
    void denyWinsOverAllowAndPortsAreIgnored() {
        String acl = "{\"allow\":[\"*\"],\"deny\":[\"evil.com\",\"*.evil.com\"]}";
        assertThat(allows(acl, "good.org")).isTrue();
        assertThat(allows(acl, "evil.com")).isFalse();
        assertThat(allows(acl, "evil.com:8448")).isFalse();
        assertThat(allows(acl, "sub.evil.com:1234")).isFalse();
        assertThat(allows(acl, "notevil.com")).isTrue();
    }

    @Test
    void withoutAnAllowListEveryServerIsDenied() {
        assertThat(allows("{}", "good.org")).isFalse();
        assertThat(allows("{\"deny\":[]}", "good.org")).isFalse();
    }

    @Test
    void ipLiteralsAreAllowedUnlessTheFlagIsFalse() {
        assertThat(allows("{\"allow\":[\"*\"]}", "1.2.3.4")).isTrue();
        assertThat(allows("{\"allow\":[\"*\"],\"allow_ip_literals\":\"false\"}", "1.2.3.4")).isTrue();
        assertThat(allows("{\"allow\":[\"*\"],\"allow_ip_literals\":false}", "1.2.3.4:8448")).isFalse();
        assertThat(allows("{\"allow\":[\"*\"],\"allow_ip_literals\":false}", "[::1]:8448")).isFalse();
        assertThat(allows("{\"allow\":[\"*\"],\"allow_ip_literals\":false}", "example.org")).isTrue();
    }

    @Test
    void globsMatchCaseInsensitivelyWithQuestionMarksAndLiteralDots() {
        String acl = "{\"allow\":[\"matrix.?rg\", \"*.Example.COM\", 42]}";
        assertThat(allows(acl, "matrix.org")).isTrue();
        assertThat(allows(acl, "MATRIX.ORG")).isTrue();
        assertThat(allows(acl, "matrix.oorg")).isFalse();
        assertThat(allows(acl, "matrixxorg")).isFalse();
        assertThat(allows(acl, "a.b.example.com")).isTrue();
        assertThat(allows(acl, "example.com")).isFalse();
    }

    @Test
    void configuredListsUseTheSameRules() {
        ServerAcl config = new ServerAcl(true, List.of("*"), List.of("blocked.example"));
        assertThat(config.allows(ServerName.parse("blocked.example:443"))).isFalse();
        assertThat(config.allows(ServerName.parse("fine.example"))).isTrue();
    }
}
