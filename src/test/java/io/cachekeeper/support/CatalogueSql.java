package io.cachekeeper.support;

import java.util.Map;

import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;

/** The service's SQL catalogue, for tests that run or explain its statements themselves, outside the service. */
public final class CatalogueSql {

    /** Settings for a catalogue read outside the service: any values serve a plan's shape. */
    private static final Map<String, String> SETTINGS = Map.of("grace_period", "1 hour", "stale_retention", "1 hour",
            "upload_timeout", "1 hour");

    private CatalogueSql() {
    }

    /** The catalogue of a store of this variant ({@code "citus"}, or null for plain PostgreSQL). */
    public static SqlCatalogue of(String variant) {
        return SqlCatalogue.load(variant, SETTINGS);
    }

    /** The statement with each parameter replaced by the SQL literal {@code values} gives for its name. */
    public static String inline(NamedSql sql, Map<String, String> values) {
        String text = sql.sql();
        for (int i = sql.names().size(); i >= 1; i--) { // $10 before $1
            String value = values.get(sql.names().get(i - 1));
            if (value == null) {
                throw new IllegalArgumentException("no value for :" + sql.names().get(i - 1) + " in " + sql);
            }
            text = text.replace("$" + i, value);
        }
        return text;
    }
}
