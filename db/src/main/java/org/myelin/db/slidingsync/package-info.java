/** What simplified sliding sync (MSC4186) stores and reads: connections and their positions, room lists. */
package org.myelin.db.slidingsync;
