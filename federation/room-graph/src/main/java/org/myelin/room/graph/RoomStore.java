package org.myelin.room.graph;

import org.myelin.db.room.ClientTransactionRepository;
import org.myelin.db.room.CurrentStateRepository;
import org.myelin.db.room.EventRepository;
import org.myelin.db.room.ForwardExtremityRepository;
import org.myelin.db.room.MembershipRepository;
import org.myelin.db.room.RemoteInviteRepository;
import org.myelin.db.room.RoomAliasRepository;
import org.myelin.db.room.RoomRepository;
import org.myelin.db.room.RoomStateChangeRepository;
import org.myelin.db.room.StateAtEventsRepository;
import org.myelin.db.room.StateGroupRepository;
import org.myelin.db.support.Database;

/** The room graph's repositories over one database, with the database itself for transactions. */
public record RoomStore(Database db, RoomRepository rooms, EventRepository events,
        ForwardExtremityRepository extremities, StateGroupRepository stateGroups, CurrentStateRepository currentState,
        MembershipRepository memberships, RoomAliasRepository aliases, ClientTransactionRepository transactions,
        RoomStateChangeRepository stateChanges, StateAtEventsRepository stateGroupsAt,
        RemoteInviteRepository remoteInvites) {

    /** Every repository over {@code db}. */
    public static RoomStore over(Database db) {
        return new RoomStore(db, new RoomRepository(db), new EventRepository(db), new ForwardExtremityRepository(db),
                new StateGroupRepository(db), new CurrentStateRepository(db), new MembershipRepository(db),
                new RoomAliasRepository(db), new ClientTransactionRepository(db), new RoomStateChangeRepository(db),
                new StateAtEventsRepository(db), new RemoteInviteRepository(db));
    }
}
