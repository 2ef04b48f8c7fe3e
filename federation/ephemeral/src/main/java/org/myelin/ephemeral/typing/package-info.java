/**
 * Typing notifications: {@link org.myelin.ephemeral.typing.TypingService} sets them and
 * {@link org.myelin.ephemeral.typing.TypingSweeper} gives lapsed ones a position. Whether a user types is always
 * decided from the stored expiry.
 */
package org.myelin.ephemeral.typing;
