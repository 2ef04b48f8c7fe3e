/**
 * Notifications (https://spec.matrix.org/v1.19/client-server-api/#receiving-notifications): the worker that
 * evaluates push rules for every event off the send's path ({@link org.myelin.clientapi.push.notify.PushEvaluationWorker}),
 * the unread counts of /sync ({@link org.myelin.clientapi.push.notify.UnreadCountsSource}) and
 * {@code GET /notifications}.
 */
package org.myelin.clientapi.push.notify;
