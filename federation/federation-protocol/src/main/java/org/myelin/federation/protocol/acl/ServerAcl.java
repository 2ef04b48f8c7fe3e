package org.myelin.federation.protocol.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.myelin.federation.protocol.id.ServerName;

import tools.jackson.databind.JsonNode;

/**
 * A server access control list: the content of an {@code m.room.server_acl} event, or the server-wide lists of the
 * configuration. Globs ({@code *} any run, {@code ?} one character) are matched case-insensitively against the
 * server name without its port, in the order the event's schema gives.
 */
public final class ServerAcl {

    private final boolean allowIpLiterals;
    private final List<Pattern> allow;
    private final List<Pattern> deny;

    public ServerAcl(boolean allowIpLiterals, List<String> allow, List<String> deny) {
        this.allowIpLiterals = allowIpLiterals;
        this.allow = allow.stream().map(ServerAcl::glob).toList();
        this.deny = deny.stream().map(ServerAcl::glob).toList();
    }

    /**
     * Reads an event's content: {@code allow_ip_literals} defaults to true unless it is the boolean false,
     * {@code allow} and {@code deny} to empty lists; entries that are not strings are ignored.
     */
    public static ServerAcl fromContent(JsonNode content) {
        JsonNode ipLiterals = content.path("allow_ip_literals");
        return new ServerAcl(!ipLiterals.isBoolean() || ipLiterals.booleanValue(), strings(content.path("allow")),
                strings(content.path("deny")));
    }

    /** Whether {@code server} may take part. */
    public boolean allows(ServerName server) {
        // 2. IP literals, when the ACL forbids them.
        if (!allowIpLiterals && server.hostIsIpLiteral()) {
            return false;
        }
        String host = server.host();
        // 3. The deny list, then 4. the allow list; 5. otherwise deny.
        if (deny.stream().anyMatch(p -> p.matcher(host).matches())) {
            return false;
        }
        return allow.stream().anyMatch(p -> p.matcher(host).matches());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> {
                if (v.isString()) {
                    values.add(v.stringValue());
                }
            });
        }
        return values;
    }

    /** The appendices' glob-style matching: {@code *} any characters, {@code ?} exactly one, the rest literal. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
