package org.myelin.db.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.db.testing.MigratedDatabase;
import org.myelin.db.testing.RequiresPostgres;

@RequiresPostgres
class FilterRepositoryIT {

    private static FilterRepository filters;

    @BeforeAll
    static void migrate() {
        filters = new FilterRepository(MigratedDatabase.create("FilterRepositoryIT"));
    }

    @Test
    void insertShouldHandOutDistinctIdsAndFindShouldReturnTheStoredJson() {
        long first = filters.insert("@alice:test", "{\"room\":{\"timeline\":{\"limit\":5}}}").block();
        long second = filters.insert("@alice:test", "{}").block();

        assertThat(second).isNotEqualTo(first);
        assertThat(filters.find("@alice:test", first).block()).isEqualTo("{\"room\": {\"timeline\": {\"limit\": 5}}}");
        assertThat(filters.find("@alice:test", second).block()).isEqualTo("{}");
    }

    @Test
    void findShouldBeEmptyForAnotherUsersFilterOrAnUnknownId() {
        long id = filters.insert("@bob:test", "{\"presence\":{\"not_types\":[\"*\"]}}").block();

        assertThat(filters.find("@mallory:test", id).block()).isNull();
        assertThat(filters.find("@bob:test", id + 1000).block()).isNull();
    }
}
