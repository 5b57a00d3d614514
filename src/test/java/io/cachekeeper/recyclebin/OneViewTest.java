package io.cachekeeper.recyclebin;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.persistence.Column;

import org.hibernate.annotations.Formula;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cachekeeper.entry.CacheEntry;
import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One view of an entry: reading it by id, by key and through the recycle bin gives the same JSON, for a body in
 * the row and for one uploaded as bytes; and the recycle bin's entity maps every column of {@code cache_entry}
 * but those left out on purpose, so that the next column added cannot be missed there.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OneViewTest {

    /** Columns the API never shows: the distribution column of Citus, derived from the key (docs/scale.md). */
    private static final Set<String> LEFT_OUT = Set.of("route");

    @BeforeEach
    void clean() {
        Db.clear();
    }

    @Test
    void anInlineBodyReadsTheSameEveryWay() {
        sameEveryWay(Entries.create("GET https://example.com/one"), "GET https://example.com/one");
    }

    @Test
    void aStreamedBodyReadsTheSameEveryWay() {
        String key = "GET https://example.com/streamed";
        sameEveryWay(Entries.create(Entries.streamed(key, Entries.upload(key, new byte[400_000]))), key);
    }

    private static void sameEveryWay(String id, String key) {
        Map<String, Object> byId = given().get("/entries/" + id).then().statusCode(200).extract().jsonPath().getMap("$");
        List<Map<String, Object>> byKey = given().queryParam("key", key).get("/entries").then().statusCode(200)
                .extract().jsonPath().getList("$");
        List<Map<String, Object>> inBin = given().queryParam("key", key).queryParam("state", "live")
                .queryParam("includeBody", true).get("/admin/entries").then().statusCode(200).extract().jsonPath()
                .getList("$");
        assertEquals(List.of(byId), byKey);
        assertEquals(List.of(byId), inBin);
    }

    @Test
    void theRecycleBinsEntityMapsEveryColumn() throws SQLException {
        Set<String> mapped = new TreeSet<>(LEFT_OUT);
        Pattern formulaColumn = Pattern.compile("cast\\((\\w+) as");
        for (Field field : CacheEntry.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(Column.class)) {
                mapped.add(field.getAnnotation(Column.class).name());
            } else if (field.isAnnotationPresent(Formula.class)) {
                Matcher m = formulaColumn.matcher(field.getAnnotation(Formula.class).value());
                if (m.find()) {
                    mapped.add(m.group(1));
                }
            } else if (field.getName().equals("id")) {
                mapped.add("id");
            }
        }
        Set<String> columns = new TreeSet<>();
        try (Connection c = Db.connect();
                ResultSet rs = c.createStatement().executeQuery(
                        "SELECT column_name FROM information_schema.columns WHERE table_name = 'cache_entry'")) {
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
        }
        assertEquals(columns, mapped, "a column of cache_entry is neither mapped by CacheEntry nor left out on purpose");
    }
}
