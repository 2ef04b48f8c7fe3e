/**
 * The user directory behind POST /user_directory/search: {@code user_directory} and
 * {@code user_directory_public_rooms} (V23), kept up to date by triggers on profiles, memberships and current
 * state, and searched here.
 */
package org.myelin.db.directory;
