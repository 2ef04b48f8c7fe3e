package org.myelin.room.graph;

import java.util.List;

import org.myelin.db.room.PublicRoomRow;
import org.myelin.db.room.PublicRoomsQuery;
import org.myelin.db.room.RoomDirectoryRepository;
import org.myelin.room.api.PublicRoom;
import org.myelin.room.api.PublicRoomsPage;
import org.myelin.room.api.PublicRoomsRequest;

import reactor.core.publisher.Mono;

/**
 * Pages through the published room directory with keyset tokens ({@link PublicRoomsToken}): each page asks for one
 * room more than it returns, to know whether another page follows in its direction.
 */
final class PublicRoomsPager {

    private final RoomDirectoryRepository directory;

    PublicRoomsPager(RoomDirectoryRepository directory) {
        this.directory = directory;
    }

    Mono<PublicRoomsPage> page(PublicRoomsRequest request) {
        PublicRoomsToken since = request.since() == null ? null : PublicRoomsToken.decode(request.since());
        boolean backwards = since != null && since.backwards();
        int limit = request.limit();
        PublicRoomsQuery query = new PublicRoomsQuery(request.searchTerm(), request.roomTypes(),
                request.includeUntyped(), since == null ? null : since.position(), backwards, limit + 1);
        return directory.page(query).flatMap(rows -> {
            boolean more = rows.size() > limit;
            List<PublicRoomRow> page = !more ? rows : backwards ? rows.subList(1, rows.size()) : rows.subList(0, limit);
            boolean hasNext = backwards ? !page.isEmpty() : more;
            boolean hasPrev = backwards ? more : since != null && !page.isEmpty();
            String next = hasNext ? token(false, page.get(page.size() - 1)) : null;
            String prev = hasPrev ? token(true, page.get(0)) : null;
            Mono<Long> total = page.isEmpty() ? directory.count(query) : Mono.just(page.get(0).total());
            return total.map(count -> new PublicRoomsPage(page.stream().map(PublicRoomsPager::chunk).toList(), next,
                    prev, count));
        });
    }

    private static String token(boolean backwards, PublicRoomRow row) {
        return new PublicRoomsToken(backwards, new PublicRoomsQuery.Position(row.joinedMembers(), row.roomId()))
                .encode();
    }

    private static PublicRoom chunk(PublicRoomRow row) {
        return new PublicRoom(row.roomId(), row.name(), row.topic(), row.canonicalAlias(), row.joinedMembers(),
                "world_readable".equals(row.historyVisibility()), "can_join".equals(row.guestAccess()),
                row.joinRule(), row.roomType(), row.avatarUrl());
    }
}
