package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every statement of the service's catalogue is valid SQL against the migrated schema: PostgreSQL parses, types and
 * plans each one (PREPARE), so a misspelt column or a parameter whose type cannot be told fails here, not on the
 * first request that runs it. The session settings (SET, RESET and the simple queries of several statements) and
 * the EXPLAIN are run as they are; a statement that names a table by identifier is prepared over {@code cache_entry}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class CatalogueStatementsPrepareTest {

    @Inject
    SqlCatalogue catalogue;

    @Test
    void everyStatementPreparesOnTheMigratedSchema() throws SQLException {
        List<String> failures = new ArrayList<>();
        try (Connection c = Db.connect(); Statement s = c.createStatement()) {
            int n = 0;
            for (String name : catalogue.names()) {
                SqlCatalogue.Statement statement = catalogue.statement(name);
                String sql = name.startsWith("restore-batch")
                        ? statement.withIdentifiers(Map.of("entries", "cache_entry")).sql()
                        : statement.sql().sql();
                try {
                    if (sql.startsWith("SET ") || sql.startsWith("RESET ") || sql.startsWith("EXPLAIN ")) {
                        s.execute(sql);
                    } else {
                        s.execute("PREPARE s" + n + " AS " + sql);
                        s.execute("DEALLOCATE s" + n++);
                    }
                } catch (SQLException e) {
                    failures.add(name + ": " + e.getMessage());
                }
            }
            s.execute("RESET ALL");
        }
        assertEquals(List.of(), failures);
    }
}
