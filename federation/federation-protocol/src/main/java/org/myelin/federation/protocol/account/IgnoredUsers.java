package org.myelin.federation.protocol.account;

import java.util.LinkedHashSet;
import java.util.Set;

import org.myelin.federation.protocol.error.MatrixException;

import tools.jackson.databind.JsonNode;

/**
 * The {@code m.ignored_user_list} account data event
 * (https://spec.matrix.org/v1.19/client-server-api/#ignoring-users): its {@code ignored_users} object maps each
 * ignored user ID to an empty object. Content of another shape ignores nobody (as Synapse reads it), so a stored
 * list that a client wrote badly never breaks /sync.
 */
public final class IgnoredUsers {

    /** The account data type. */
    public static final String TYPE = "m.ignored_user_list";

    private IgnoredUsers() {
    }

    /** The users {@code content} ignores; empty when it is null or not of the event's shape. */
    public static Set<String> of(JsonNode content) {
        Set<String> ignored = new LinkedHashSet<>();
        JsonNode users = content == null ? null : content.get("ignored_users");
        if (users != null && users.isObject()) {
            users.propertyNames().forEach(ignored::add);
        }
        return Set.copyOf(ignored);
    }

    /**
     * Checks a list {@code userId} is about to store: ignoring oneself is 400 M_INVALID_PARAM (NOTSPEC: the spec
     * is silent; Synapse refuses it so).
     */
    public static void checkWritable(String userId, JsonNode content) {
        if (of(content).contains(userId)) {
            throw MatrixException.invalidParam("You cannot ignore yourself");
        }
    }
}
