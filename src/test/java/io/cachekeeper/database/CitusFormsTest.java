package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Where a statement's Citus form differs from its PostgreSQL form only by what finds the row on a distributed store,
 * the two are written out side by side in the catalogue; this holds everything else in them equal, so that a change
 * made to one form and not the other fails here.
 */
class CitusFormsTest {

    private static final Map<String, String> SETTINGS = Map.of("grace_period", "1 hour", "stale_retention", "2 hours",
            "upload_timeout", "3 hours");
    private static final SqlCatalogue PLAIN = SqlCatalogue.load(null, SETTINGS);
    private static final SqlCatalogue CITUS = SqlCatalogue.load("citus", SETTINGS);

    @Test
    void aByIdStatementOnCitusAlsoNamesTheRowsRoute() {
        for (String name : List.of("entry-by-id", "entry-refresh", "entry-soft-delete", "entry-restore", "entry-body")) {
            String plain = normalized(PLAIN.text(name));
            assertTrue(plain.contains("WHERE id = :id"), name);
            assertEquals(plain.replace("WHERE id = :id", "WHERE id = :id AND route = :entry_route::int"),
                    normalized(CITUS.text(name)), name);
        }
    }

    @Test
    void theInsertOnCitusConflictsOnTheShardsKey() {
        assertEquals(normalized(PLAIN.text("entry-insert")).replace("ON CONFLICT (id)", "ON CONFLICT (route, id)"),
                normalized(CITUS.text("entry-insert")));
    }

    @Test
    void everyStatementWithACitusFormIsOneOfThoseHeldHereOrDiffersInShape() {
        List<String> differing = CITUS.names().stream().filter(PLAIN.names()::contains)
                .filter(n -> !normalized(CITUS.text(n)).equals(normalized(PLAIN.text(n)))).sorted().toList();
        // The rest differ in shape, each said in its comment: no FOR UPDATE or ctid through Citus's coordinator.
        assertEquals(List.of("bodies-remove-unheld", "entry-body", "entry-by-id", "entry-insert", "entry-refresh",
                "entry-restore", "entry-soft-delete", "evict-batch"), differing);
    }

    private static String normalized(String sql) {
        return sql.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
    }
}
