package org.myelin.clientapi.push;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of the push rules API; {@code {scope}} is checked by the handler (only {@code global} exists). */
@Component
public class PushRuleRoutes implements RouteContributor {

    private static final String RULES = "/_matrix/client/v3/pushrules/";
    private static final String RULE = RULES + "{scope}/{kind}/{ruleId}";

    private final PushRuleHandler handler;

    public PushRuleRoutes(PushRuleHandler handler) {
        this.handler = handler;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.authed(GET, RULES, handler::getPushRules);
        // NOTSPEC: Synapse also answers these three without or with the trailing slash, and one kind's rules.
        routes.authed(GET, RULES.substring(0, RULES.length() - 1), handler::getPushRules);
        routes.authed(GET, RULES + "{scope}/", handler::getPushRulesGlobal);
        routes.authed(GET, RULES + "{scope}", handler::getPushRulesGlobal);
        routes.authed(GET, RULES + "{scope}/{kind}/", handler::getPushRulesOfKind);
        routes.authed(GET, RULES + "{scope}/{kind}", handler::getPushRulesOfKind);
        routes.authed(GET, RULE, handler::getPushRule);
        routes.authed(PUT, RULE, handler::setPushRule);
        routes.authed(DELETE, RULE, handler::deletePushRule);
        routes.authed(GET, RULE + "/enabled", handler::isPushRuleEnabled);
        routes.authed(PUT, RULE + "/enabled", handler::setPushRuleEnabled);
        routes.authed(GET, RULE + "/actions", handler::getPushRuleActions);
        routes.authed(PUT, RULE + "/actions", handler::setPushRuleActions);
    }
}
