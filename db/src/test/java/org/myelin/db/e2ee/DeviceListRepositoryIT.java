package org.myelin.db.e2ee;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.e2ee.DeviceListRepository.Change;
import org.myelin.db.support.Database;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;

/** Who sees which device-list change, the same for short windows and for long ones (the two queries). */
@RequiresPostgres
class DeviceListRepositoryIT {

    private static Database db;
    private static DeviceListRepository lists;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create("DeviceListRepositoryIT");
        lists = new DeviceListRepository(db);
        join("!shared:test", "@viewer:test");
        join("!shared:test", "@mate:test");
        join("!elsewhere:test", "@stranger:test");
        db.update(db.sql("INSERT INTO room_memberships (room_id, user_id, membership, event_id, stream_ordering) "
                + "VALUES ('!shared:test', '@gone:test', 'leave', '$gone', 3)")).block();
        List<Change> changes = List.of(new Change("@mate:test", "D", null), new Change("@stranger:test", "D", null),
                new Change("@viewer:test", "D", null), new Change("@gone:test", "D", null),
                new Change("@stranger:test", null, "@viewer:test"), new Change("@mate:test", null, "@mate:test"));
        lists.insert(changes, 6).block();
        lists.insert(changes, DeviceListRepository.WIDE_WINDOW + 106).block();
    }

    @Test
    void aShortWindowShouldNameRoomMatesTheViewerAndChangesVisibleToThem() {
        assertThat(lists.changed("@viewer:test", 0, 6).block())
                .containsExactly("@mate:test", "@stranger:test", "@viewer:test");
    }

    @Test
    void aLongWindowShouldNameTheSameUsers() {
        assertThat(lists.changed("@viewer:test", 50, DeviceListRepository.WIDE_WINDOW + 106).block())
                .containsExactly("@mate:test", "@stranger:test", "@viewer:test");
        assertThat(lists.changed("@stranger:test", 50, DeviceListRepository.WIDE_WINDOW + 106).block())
                .containsExactly("@stranger:test");
    }

    private static void join(String room, String user) {
        db.update(db.sql("INSERT INTO room_memberships (room_id, user_id, membership, event_id, stream_ordering) "
                + "VALUES (:room, :user, 'join', :event, 1)").bind("room", room).bind("user", user)
                .bind("event", "$" + user)).block();
    }
}
