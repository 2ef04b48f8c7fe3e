/**
 * Storage of push rules ({@code push_rules}): the user's own rules and their changes to server-default rules.
 * Which rules are server defaults, and how they merge with these rows, is client-api's business.
 */
package org.myelin.db.push;
