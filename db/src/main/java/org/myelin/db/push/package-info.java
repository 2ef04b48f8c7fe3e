/**
 * Storage of push rules ({@code push_rules}: the user's own rules and their changes to server-default rules; which
 * rules are server defaults, and how they merge with these rows, is client-api's business) and of push
 * notifications: where rule evaluation stands ({@link org.myelin.db.push.PushEvaluationRepository}), the
 * notifications it stored and their unread counts ({@link org.myelin.db.push.NotificationRepository}), pushers and
 * their delivery queue ({@link org.myelin.db.push.PusherRepository}).
 */
package org.myelin.db.push;
