/** Accounts: users, profiles, devices, hashed tokens, UIA sessions, registration tokens and nonces. */
package org.myelin.db.account;
