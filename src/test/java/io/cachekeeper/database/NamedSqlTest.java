package io.cachekeeper.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.mutiny.sqlclient.Tuple;

class NamedSqlTest {

    @Test
    void eachNameIsOnePositionInTheOrderOfItsFirstAppearance() {
        NamedSql sql = NamedSql.of("UPDATE t SET a = :a, b = :b WHERE id = :id AND (:a IS NULL OR a = :a)");
        assertEquals("UPDATE t SET a = $1, b = $2 WHERE id = $3 AND ($1 IS NULL OR a = $1)", sql.sql());
        assertEquals(List.of("a", "b", "id"), sql.names());
    }

    @Test
    void castsAndQuotedTextAreLeftAsTheyAre() {
        NamedSql sql = NamedSql.of("SELECT :h::text::jsonb, ':not_a_name', \"C:olumn\", 'it''s :x', :n_2::bigint[]");
        assertEquals("SELECT $1::text::jsonb, ':not_a_name', \"C:olumn\", 'it''s :x', $2::bigint[]", sql.sql());
        assertEquals(List.of("h", "n_2"), sql.names());
    }

    @Test
    void aPositionalParameterInANamedStatementIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamedSql.of("SELECT * FROM t WHERE id = :id AND v = $2"));
        assertTrue(e.getMessage().contains("positional"), e.getMessage());
    }

    @Test
    void valuesAreBoundByNameAndNullIsAValue() {
        NamedSql sql = NamedSql.of("SELECT :b, :a, :b");
        Tuple t = sql.bind(new NamedSql.Params().set("a", 1).set("b", null).set("unused", "x"));
        assertEquals(2, t.size());
        assertEquals(null, t.getValue(0));
        assertEquals(1, t.getValue(1));
    }

    @Test
    void aParameterWithoutAValueFailsNamingIt() {
        NamedSql sql = NamedSql.of("SELECT :a, :missing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sql.bind(new NamedSql.Params().set("a", 1)));
        assertTrue(e.getMessage().contains(":missing"), e.getMessage());
    }

    @Test
    void aDollarQuotedBodyIsTextAndItsPositionalParametersAreItsOwn() {
        NamedSql sql = NamedSql.of("SELECT :a; CREATE FUNCTION f(x int) RETURNS int AS $$ SELECT $1 + :b $$ LANGUAGE sql");
        assertEquals("SELECT $1; CREATE FUNCTION f(x int) RETURNS int AS $$ SELECT $1 + :b $$ LANGUAGE sql", sql.sql());
        assertEquals(List.of("a"), sql.names());
    }

    @Test
    void theJdbcFormHasAQuestionMarkForEachOccurrenceBoundInItsOrder() {
        NamedSql sql = NamedSql.of("SELECT :a::int, :b, :a");
        assertEquals("SELECT ?::int, ?, ?", sql.jdbcSql());
        assertEquals(List.of(1, "x", 1), sql.jdbcValues(new NamedSql.Params().set("a", 1).set("b", "x")));
    }
}
