package io.cachekeeper.entry;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The lifecycle rules are written as SQL (the catalogue's {@code lifecycle-rules}: the five conditions, the state
 * and purge_after columns), as Java at one instant of the database clock ({@link Lifecycle.Clock}) and as the
 * recycle bin's query filters: the three must classify every row alike. Rows sit a minute on either side of each
 * boundary (the grace period's end, expiry, stale retention's end), and every form is asked about them; the
 * SQL and Java forms at one instant (one transaction's {@code now()}), the recycle bin through the API.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LifecycleFormsAgreeTest {

    @Inject
    Lifecycle lifecycle;

    @Inject
    SqlCatalogue catalogue;

    @Test
    void sqlJavaAndTheRecycleBinClassifyEveryRowAlike() throws Exception {
        Db.clear();
        Lifecycle.Clock rules = lifecycle.at(OffsetDateTime.now());
        long grace = rules.grace().toSeconds();
        long retention = rules.retention().toSeconds();
        List<String> deletedAt = List.of("NULL", ago(grace + 60), ago(grace - 60), ago(60));
        List<String> expiresAt = List.of("NULL", ago(retention + 60), ago(retention - 60), ago(60), ago(-60));
        int n = 0;
        for (String d : deletedAt) {
            for (String e : expiresAt) {
                Db.exec("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status, response_body,"
                        + " deleted_at, expires_at) VALUES (gen_random_uuid(), 'lf-" + n++ + "', 'GET', 'https://e/', 200,"
                        + " '\\x00', " + d + ", " + e + ")");
            }
        }

        Map<EntryState, Set<String>> bySql = new EnumMap<>(EntryState.class);
        try (Connection c = Db.connect()) {
            c.setAutoCommit(false); // one transaction: one now() for every fragment and for the Java form
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT now(), e.cache_key, e.deleted_at, e.expires_at, rules.state,"
                            + " rules.live, rules.expired, rules.deleted, rules.purgeable, coalesce(rules.stale, false),"
                            + " rules.purge_after FROM (" + catalogue.text("lifecycle-rules") + ") rules"
                            + " JOIN cache_entry e USING (id)")) {
                while (r.next()) {
                    Lifecycle.Clock clock = lifecycle.at(r.getObject(1, OffsetDateTime.class));
                    String key = r.getString(2);
                    OffsetDateTime deleted = r.getObject(3, OffsetDateTime.class);
                    OffsetDateTime expires = r.getObject(4, OffsetDateTime.class);
                    EntryState sql = EntryState.of(r.getString(5));
                    String row = key + " (deleted_at " + deleted + ", expires_at " + expires + ")";
                    assertEquals(sql, clock.state(deleted, expires), "Java against the SQL state column: " + row);
                    assertEquals(sql == EntryState.LIVE, r.getBoolean(6), "live(): " + row);
                    assertEquals(sql == EntryState.EXPIRED, r.getBoolean(7), "expired(): " + row);
                    assertEquals(sql == EntryState.DELETED, r.getBoolean(8), "deleted(): " + row);
                    assertEquals(sql == EntryState.PURGEABLE, r.getBoolean(9), "purgeable(): " + row);
                    OffsetDateTime purgeAfter = clock.purgeAfter(deleted, expires);
                    OffsetDateTime sqlPurgeAfter = r.getObject(11, OffsetDateTime.class);
                    assertEquals(purgeAfter == null ? null : purgeAfter.toInstant(),
                            sqlPurgeAfter == null ? null : sqlPurgeAfter.toInstant(), "purge_after: " + row);
                    boolean eligible = purgeAfter != null && !purgeAfter.isAfter(clock.now());
                    assertEquals(eligible, r.getBoolean(9) || r.getBoolean(10),
                            "purgeable() or stale() against Java's purgeAfter: " + row);
                    bySql.computeIfAbsent(sql, k -> new HashSet<>()).add(key);
                }
            }
            c.rollback();
        }
        assertEquals(n, bySql.values().stream().mapToInt(Set::size).sum());
        assertTrue(bySql.size() == EntryState.values().length, "every state among the rows: " + bySql.keySet());

        for (EntryState state : EntryState.values()) {
            List<String> keys = new ArrayList<>(given().get("/admin/entries?state=" + state.json() + "&limit=100").then()
                    .statusCode(200).extract().jsonPath().getList("cacheKey", String.class));
            List<String> states = given().get("/admin/entries?state=" + state.json() + "&limit=100").then()
                    .extract().jsonPath().getList("state", String.class);
            assertEquals(bySql.get(state), new HashSet<>(keys), "the recycle bin's filter for " + state.json());
            assertTrue(states.stream().allMatch(state.json()::equals), "the recycle bin's state of each row: " + states);
        }
    }

    private static String ago(long seconds) {
        return "now() - interval '" + seconds + " seconds'";
    }
}
