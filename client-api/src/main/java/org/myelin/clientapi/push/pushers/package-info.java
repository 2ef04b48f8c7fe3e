/**
 * Pushers (https://spec.matrix.org/v1.19/client-server-api/#push-notifications): the pushers API and the delivery
 * of queued notifications to push gateways ({@link org.myelin.clientapi.push.pushers.PushDeliverer},
 * {@link org.myelin.clientapi.push.pushers.PushGatewayClient}).
 */
package org.myelin.clientapi.push.pushers;
