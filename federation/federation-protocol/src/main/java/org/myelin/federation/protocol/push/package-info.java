/**
 * Push rule evaluation (https://spec.matrix.org/v1.19/client-server-api/#push-rules): conditions, glob matching,
 * actions and the evaluator that decides, per member of a room, whether and how an event notifies them. Pure: the
 * caller gathers the room's facts (member count, power levels, display names) and the users' rulesets.
 */
package org.myelin.federation.protocol.push;
