/**
 * Send-to-device messaging: {@code PUT /sendToDevice/{eventType}/{txnId}} and the "to_device" sync stream. A
 * message is delivered by every sync until the device acknowledges it by syncing with a later {@code since}, and
 * is deleted then. Local recipients only until federation exists: messages for other servers are dropped with a
 * log line.
 */
package org.myelin.clientapi.ephemeral.todevice;
