package org.myelin.db.room;

/** One row of {@code room_aliases}: a local alias, the room it points at and the user who created it. */
public record AliasRow(String alias, String roomId, String creator) {
}
