package io.cachekeeper.entry;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.support.CatalogueSql;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * On a real Citus cluster (the {@code -Pcitus} suite): the tables are distributed as docs/scale.md says, a
 * key lookup and each step of a by-id operation reach one shard (Citus's EXPLAIN through the coordinator:
 * its task count), the id map holds only the ids that do not name their route (entry/Route), and a pass
 * purges every eligible row of every shard, with the id map's rows.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class CitusRoutingCitusIT {

    private static final Pattern TASKS = Pattern.compile("Task Count: (\\d+)");

    /** The statements as the service runs them on Citus. */
    private static final SqlCatalogue CATALOGUE = CatalogueSql.of("citus");

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void theTablesAreDistributedByRouteAndById() {
        assertEquals("route", Db.queryString("SELECT column_to_column_name(logicalrelid, partkey) FROM pg_dist_partition"
                + " WHERE logicalrelid = 'cache_entry'::regclass"));
        assertEquals("id", Db.queryString("SELECT column_to_column_name(logicalrelid, partkey) FROM pg_dist_partition"
                + " WHERE logicalrelid = 'cache_entry_id'::regclass"));
        assertEquals(8, Db.queryLong("SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = 'cache_entry'::regclass"));
    }

    @Test
    void aKeyLookupAndEachStepOfAByIdOperationReachOneShard() throws SQLException {
        String id = Entries.create("citus-k");
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            Map<String, String> values = Map.of("cache_key", "'citus-k'", "limit", "10", "include_deleted", "false",
                    "include_expired", "false", "after_created_at", "'0001-01-01T00:00:00Z'",
                    "after_id", "'00000000-0000-0000-0000-000000000000'", "page_bytes", "16777216", "id", "'" + id + "'",
                    "entry_route", String.valueOf(Route.ofId(java.util.UUID.fromString(id))), "if_match", "NULL");
            for (String lookup : List.of("entries-by-key", "entries-by-key-with-bodies", "entries-by-key-capped")) {
                assertEquals(1, tasks(s, CatalogueSql.inline(CATALOGUE.get(lookup), values)), lookup);
            }
            assertEquals(1, tasks(s, CatalogueSql.inline(CATALOGUE.get("id-map-locate"), values)));
            for (String byId : List.of("entry-by-id", "entry-refresh", "entry-soft-delete", "entry-restore", "entry-body")) {
                assertEquals(1, tasks(s, CatalogueSql.inline(CATALOGUE.get(byId), values)), byId);
            }
            // Without the route, the same condition would reach every shard.
            assertEquals(8, tasks(s, "SELECT * FROM cache_entry WHERE id = '" + id + "'"));
        }
        assertTrue(Route.routes(java.util.UUID.fromString(id), "citus-k"), "the service's id names its key's route: " + id);
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_entry_id"), "such an id needs no id map row");
    }

    @Test
    void aClientsIdAndAMovedEntryAreFoundThroughTheIdMapWhichHoldsNothingElse() {
        String chosen = "6f9c2a4e-0000-4000-8000-000000000002";
        java.util.Map<String, Object> body = new java.util.HashMap<>(Entries.body("chosen-key"));
        body.put("id", chosen);
        Entries.post(body).then().statusCode(201);
        assertEquals("chosen-key", Db.queryString("SELECT cache_key FROM cache_entry_id WHERE id = '" + chosen + "'"));
        Entries.get(chosen).then().statusCode(200).body("cacheKey", equalTo("chosen-key"));
        // The service's id, taken by a client for another key: the id is taken, wherever its entry lives.
        String made = Entries.create("made-key");
        java.util.Map<String, Object> again = new java.util.HashMap<>(Entries.body("another-key"));
        again.put("id", made);
        Entries.post(again).then().statusCode(409);
        // Moved to another key, the entry is found through the map; moved back, its map row goes.
        Entries.put(made, Entries.body("moved-key")).then().statusCode(200);
        assertEquals("moved-key", Db.queryString("SELECT cache_key FROM cache_entry_id WHERE id = '" + made + "'"));
        Entries.get(made).then().statusCode(200).body("cacheKey", equalTo("moved-key"));
        Entries.put(made, Entries.body("made-key")).then().statusCode(200);
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_entry_id WHERE id = '" + made + "'"));
        Entries.get(made).then().statusCode(200).body("cacheKey", equalTo("made-key"));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_entry WHERE id = '" + made + "' AND cache_key <> 'made-key'"));
    }

    @Test
    void aStreamedBodyLivesInItsEntrysShardAndIsReadFromItAlone() throws SQLException {
        for (String table : new String[] { "cache_body", "cache_body_chunk" }) {
            assertEquals("route",
                    Db.queryString("SELECT column_to_column_name(logicalrelid, partkey) FROM pg_dist_partition"
                            + " WHERE logicalrelid = '" + table + "'::regclass"));
            assertEquals(1, Db.queryLong("SELECT count(DISTINCT colocationid) FROM pg_dist_partition"
                    + " WHERE logicalrelid IN ('cache_entry'::regclass, '" + table + "'::regclass)"), table + " colocated");
        }
        String body = Entries.upload("citus-b", new byte[300_000]);
        Entries.create(Entries.streamed("citus-b", body));
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            String read = CatalogueSql.inline(CATALOGUE.get("body-read-chunks"),
                    Map.of("id", "'" + body + "'", "first_seq", "0", "end_seq", "4", "cache_key", "'citus-b'"));
            assertEquals(1, tasks(s, read));
            ResultSet rs = s.executeQuery("SELECT count(*) FROM cache_body_chunk WHERE cache_key = 'citus-b'");
            rs.next();
            assertEquals(2, rs.getLong(1), "two chunks of 256 KiB, in the key's shard");
        }
    }

    @Test
    void aPassPurgesEveryEligibleRowOfEveryShardWithItsIdMapRows() {
        int n = 3_000;
        // Half of the purged and of the kept with clients' ids (an id map row each), half with the service's.
        String purged = "'purge-' || (i % 300)";
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body,"
                + " deleted_at) SELECT CASE WHEN i % 2 = 0 THEN gen_random_uuid() ELSE " + Db.routedId(purged) + " END,"
                + " cache_route(" + purged + "), " + purged + ", 'GET', 'https://e/' || i, 200, '\\x00',"
                + " now() - interval '2 days' FROM generate_series(1, " + n + ") i");
        Db.exec("INSERT INTO cache_entry (id, route, cache_key, request_method, request_url, response_status, response_body)"
                + " SELECT CASE WHEN i % 2 = 0 THEN gen_random_uuid() ELSE " + Db.routedId("'keep-' || i") + " END,"
                + " cache_route('keep-' || i), 'keep-' || i, 'GET', 'https://e/keep', 200, '\\x00' FROM generate_series(1, 50) i");
        Db.exec("INSERT INTO cache_entry_id (id, cache_key) SELECT id, cache_key FROM cache_entry WHERE cache_id_route(id) <> route");
        assertEquals(n / 2 + 25, Db.queryLong("SELECT count(*) FROM cache_entry_id"));
        long batches = Entries.cleanup().then().statusCode(200)
                .body("purged", equalTo(n))
                .body("completed", equalTo(true))
                .extract().jsonPath().getLong("batches");
        assertTrue(batches >= n / 200, "batches of at most batch-size (200) rows: " + batches);
        assertEquals(50, Db.count("true"));
        assertEquals(25, Db.queryLong("SELECT count(*) FROM cache_entry_id"));
        assertEquals(0, Db.queryLong("SELECT count(*) FROM cache_entry_id m WHERE m.cache_key LIKE 'purge-%'"));
    }

    @Test
    void anIdWhoseEntryIsGoneButWhoseIdMapRowStayedIsTakenOverByTheNextInsert() {
        // What a pass that died after its batches and before removing their id map rows leaves behind.
        String id = "6f9c2a4e-0000-4000-8000-000000000001";
        Db.exec("INSERT INTO cache_entry_id (id, cache_key) VALUES ('" + id + "', 'purged-key')");
        java.util.Map<String, Object> body = new java.util.HashMap<>(Entries.body("reused-key"));
        body.put("id", id);
        Entries.post(body).then().statusCode(201);
        assertEquals("reused-key", Db.queryString("SELECT cache_key FROM cache_entry_id WHERE id = '" + id + "'"));
        Entries.get(id).then().statusCode(200).body("cacheKey", equalTo("reused-key"));
        Entries.post(body).then().statusCode(409);
    }

    private static int tasks(Statement s, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        Matcher m = TASKS.matcher(plan);
        assertTrue(m.find(), "no task count in\n" + plan);
        return Integer.parseInt(m.group(1));
    }
}
