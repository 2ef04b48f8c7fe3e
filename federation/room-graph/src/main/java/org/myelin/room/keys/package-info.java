/**
 * This server's own signing key: generated once into the data directory, then loaded on every start.
 *
 * <p>Invariants: the seed is never logged or returned in any message; the key file is readable by its owner only.
 */
package org.myelin.room.keys;
