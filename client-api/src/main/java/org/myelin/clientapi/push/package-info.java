/**
 * Push rules (https://spec.matrix.org/v1.19/client-server-api/#push-rules): the server-default rules, the user's
 * own rules and changes, their merge into the ruleset clients read through {@code /pushrules/} and, as the global
 * account data {@code m.push_rules}, through /sync. The model ({@link org.myelin.clientapi.push.PushRuleset},
 * {@link org.myelin.clientapi.push.RuleOrder}, {@link org.myelin.clientapi.push.DefaultPushRules}) is pure.
 */
package org.myelin.clientapi.push;
