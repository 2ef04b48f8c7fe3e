/**
 * Rooms in the Client-Server API: createRoom, membership, sending events and state, and the room reads (state,
 * members, events, /messages). Handlers translate HTTP to {@link org.myelin.room.api.ClientRoomApi}
 * calls and events to the spec's ClientEvent format; they hold no room logic of their own.
 */
package org.myelin.clientapi.room;
