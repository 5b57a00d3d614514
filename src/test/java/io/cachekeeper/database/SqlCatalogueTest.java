package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SqlCatalogueTest {

    private static final String FILE = """
            -- A file's opening comment belongs to no statement.

            -- name: by-id
            -- The row of :id.
            SELECT * FROM t
            WHERE id = :id AND deleted_at > now() - :'grace'::interval;

            -- name: by-id @citus
            SELECT * FROM t
            WHERE id = :id AND route = :route AND deleted_at > now() - :'grace'::interval;

            -- name: only-distributed @citus
            DELETE FROM :"shard" WHERE id = ANY(:ids);
            """;

    private static SqlCatalogue of(String variant) {
        return SqlCatalogue.of(Map.of("f.sql", FILE), variant, Map.of("grace", "1 hour"));
    }

    @Test
    void eachStatementIsItsTextBetweenHeadersWithoutCommentsOrItsSemicolon() {
        SqlCatalogue plain = of(null);
        assertEquals(List.of("by-id"), plain.names());
        assertEquals("SELECT * FROM t\nWHERE id = :id AND deleted_at > now() - '1 hour'::interval", plain.text("by-id"));
        assertEquals("SELECT * FROM t\nWHERE id = $1 AND deleted_at > now() - '1 hour'::interval", plain.get("by-id").sql());
    }

    @Test
    void theVariantIsChosenOnceAndAStatementOfAnotherVariantIsAbsent() {
        SqlCatalogue citus = of("citus");
        assertEquals(List.of("by-id", "only-distributed"), citus.names());
        assertEquals(List.of("id", "route"), citus.get("by-id").names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(null).get("only-distributed"));
        assertTrue(e.getMessage().contains("only-distributed"), e.getMessage());
    }

    @Test
    void identifiersAreQuotedWhenGivenAndAStatementWithThemIsNotUsedWithout() {
        SqlCatalogue.Statement statement = of("citus").statement("only-distributed");
        assertThrows(IllegalStateException.class, statement::sql);
        assertEquals("DELETE FROM \"cache_entry_10\"\"x\" WHERE id = ANY($1)",
                statement.withIdentifiers(Map.of("shard", "cache_entry_10\"x")).sql());
    }

    @Test
    void aSettingWithoutAValueOrAStatementDefinedTwiceStopsTheLoad() {
        assertThrows(IllegalStateException.class, () -> SqlCatalogue.of(Map.of("f.sql", FILE), null, Map.of()));
        assertThrows(IllegalStateException.class,
                () -> SqlCatalogue.of(Map.of("f.sql", FILE, "g.sql", "-- name: by-id\nSELECT 1;"), null,
                        Map.of("grace", "1 hour")));
        assertThrows(IllegalStateException.class,
                () -> SqlCatalogue.of(Map.of("f.sql", "-- name: x\nSELECT 1"), null, Map.of()));
    }

    @Test
    void aSettingsQuoteIsDoubledSoItStaysOneLiteral() {
        SqlCatalogue c = SqlCatalogue.of(Map.of("f.sql", "-- name: x\nSELECT :'v';"), null, Map.of("v", "it's"));
        assertEquals("SELECT 'it''s'", c.text("x"));
    }

    @Test
    void theServicesCatalogueReadsInEitherVariant() {
        Map<String, String> settings = Map.of("grace_period", "1 hour", "stale_retention", "1 hour", "upload_timeout",
                "1 hour");
        SqlCatalogue plain = SqlCatalogue.load(null, settings);
        SqlCatalogue citus = SqlCatalogue.load("citus", settings);
        assertTrue(plain.names().contains("entry-by-id"));
        assertTrue(citus.names().containsAll(plain.names()), "every statement has a form on Citus too");
        assertTrue(citus.get("entry-by-id").names().contains("entry_route"));
    }
}
