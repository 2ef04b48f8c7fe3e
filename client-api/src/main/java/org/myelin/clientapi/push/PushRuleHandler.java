package org.myelin.clientapi.push;

import org.myelin.clientapi.auth.Requester;
import org.myelin.federation.protocol.error.ErrCode;
import org.myelin.federation.protocol.error.MatrixException;
import org.myelin.http.JsonBodies;
import org.myelin.http.Responses;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Push rules API (https://spec.matrix.org/v1.19/client-server-api/#push-rules-api): the requester's own global
 * ruleset. A scope other than {@code global} or an unknown kind is 400 M_UNRECOGNIZED, as Synapse answers.
 */
@Component
public class PushRuleHandler {

    private static final String GLOBAL = "global";

    private final JsonBodies bodies;
    private final PushRulesets rulesets;

    public PushRuleHandler(JsonBodies bodies, PushRulesets rulesets) {
        this.bodies = bodies;
        this.rulesets = rulesets;
    }

    /**
     * GET /_matrix/client/v3/pushrules/ (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrules).
     */
    public Mono<ServerResponse> getPushRules(ServerRequest request, Requester requester) {
        return rulesets.content(requester.userId()).flatMap(Responses::ok);
    }

    /**
     * GET /_matrix/client/v3/pushrules/global/
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobal).
     */
    public Mono<ServerResponse> getPushRulesGlobal(ServerRequest request, Requester requester) {
        requireGlobal(request);
        return rulesets.ruleset(requester.userId()).map(PushRuleset::toJson).flatMap(Responses::ok);
    }

    /** GET /_matrix/client/v3/pushrules/global/{kind}/: the rules of one kind, in evaluation order. */
    public Mono<ServerResponse> getPushRulesOfKind(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        return rulesets.ruleset(requester.userId()).map(ruleset -> ruleset.toJson().get(kind.wireName()))
                .flatMap(Responses::ok);
    }

    /**
     * GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleid).
     */
    public Mono<ServerResponse> getPushRule(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        return rulesets.ruleset(requester.userId())
                .map(ruleset -> PushRulesets.require(ruleset, kind, ruleId).toJson()).flatMap(Responses::ok);
    }

    /**
     * PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleid).
     * IDs starting with "." (reserved for server-default rules) or holding slashes are 400 M_INVALID_PARAM.
     */
    public Mono<ServerResponse> setPushRule(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        if (PushRule.isServerDefaultId(ruleId)) {
            throw MatrixException.invalidParam("Rule IDs starting with '.' are reserved for server-default rules");
        }
        if (ruleId.contains("/") || ruleId.contains("\\")) {
            throw MatrixException.invalidParam("Rule IDs must not contain slashes");
        }
        String before = request.queryParam("before").orElse(null);
        String after = request.queryParam("after").orElse(null);
        return bodies.object(request).map(body -> PushRuleBodies.rule(kind, body))
                .flatMap(rule -> rulesets.put(requester.userId(), kind, ruleId, rule, before, after))
                .then(Responses.empty());
    }

    /**
     * DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
     * (https://spec.matrix.org/v1.19/client-server-api/#delete_matrixclientv3pushrulesglobalkindruleid).
     */
    public Mono<ServerResponse> deletePushRule(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        return rulesets.delete(requester.userId(), kind, request.pathVariable("ruleId")).then(Responses.empty());
    }

    /**
     * GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidenabled).
     */
    public Mono<ServerResponse> isPushRuleEnabled(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        return rulesets.ruleset(requester.userId()).map(ruleset -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            return body.put("enabled", PushRulesets.require(ruleset, kind, ruleId).enabled());
        }).flatMap(Responses::ok);
    }

    /**
     * PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidenabled).
     */
    public Mono<ServerResponse> setPushRuleEnabled(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        return bodies.object(request).map(PushRuleBodies::enabled)
                .flatMap(enabled -> rulesets.setEnabled(requester.userId(), kind, ruleId, enabled))
                .then(Responses.empty());
    }

    /**
     * GET /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions
     * (https://spec.matrix.org/v1.19/client-server-api/#get_matrixclientv3pushrulesglobalkindruleidactions).
     */
    public Mono<ServerResponse> getPushRuleActions(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        return rulesets.ruleset(requester.userId()).map(ruleset -> {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("actions", PushRulesets.require(ruleset, kind, ruleId).actions().deepCopy());
            return body;
        }).flatMap(Responses::ok);
    }

    /**
     * PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions
     * (https://spec.matrix.org/v1.19/client-server-api/#put_matrixclientv3pushrulesglobalkindruleidactions).
     */
    public Mono<ServerResponse> setPushRuleActions(ServerRequest request, Requester requester) {
        PushRuleKind kind = kind(request);
        String ruleId = request.pathVariable("ruleId");
        return bodies.object(request).map(PushRuleBodies::actions)
                .flatMap(actions -> rulesets.setActions(requester.userId(), kind, ruleId, actions))
                .then(Responses.empty());
    }

    private static PushRuleKind kind(ServerRequest request) {
        requireGlobal(request);
        return PushRuleKind.parse(request.pathVariable("kind"));
    }

    private static void requireGlobal(ServerRequest request) {
        if (!GLOBAL.equals(request.pathVariable("scope"))) {
            throw new MatrixException(ErrCode.M_UNRECOGNIZED, 400, "Push rules must be in the 'global' scope");
        }
    }
}
