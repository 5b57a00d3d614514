package io.cachekeeper.database;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A statement written with named parameters ({@code :id}), compiled once to PostgreSQL's positional form
 * ({@code $1}): every name is one position, however often it appears, in the order of its first
 * appearance. Casts ({@code ::jsonb}) and text in quotes are left as they are; a positional parameter in
 * the text is refused, so that the two forms never mix. {@link #bind} reads the values by name, so neither
 * the statement nor its caller keeps a map of positions.
 */
public final class NamedSql {

    private final String sql;
    private final List<String> names;
    private final String jdbcSql;
    private final List<String> jdbcNames;

    private NamedSql(String sql, List<String> names, String jdbcSql, List<String> jdbcNames) {
        this.sql = sql;
        this.names = List.copyOf(names);
        this.jdbcSql = jdbcSql;
        this.jdbcNames = List.copyOf(jdbcNames);
    }

    public static NamedSql of(String text) {
        StringBuilder sql = new StringBuilder(text.length());
        StringBuilder jdbc = new StringBuilder(text.length());
        List<String> names = new ArrayList<>();
        List<String> jdbcNames = new ArrayList<>();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && text.startsWith("$$", i)) {
                // A dollar-quoted body (a function's) is text to SQL: copied as it is, up to its closing $$.
                int end = text.indexOf("$$", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("an unclosed $$ in a named statement: " + text);
                }
                sql.append(text, i, end + 2);
                jdbc.append(text, i, end + 2);
                i = end + 1;
                continue;
            }
            if (quote != 0) {
                sql.append(c);
                jdbc.append(c);
                quote = c == quote ? 0 : quote; // '' and "" inside quotes close and reopen: the same text
            } else if (c == '\'' || c == '"') {
                sql.append(c);
                jdbc.append(c);
                quote = c;
            } else if (c == ':' && i + 1 < text.length() && text.charAt(i + 1) == ':') {
                sql.append("::");
                jdbc.append("::");
                i++;
            } else if (c == ':' && i + 1 < text.length() && start(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && part(text.charAt(end))) {
                    end++;
                }
                String name = text.substring(i + 1, end);
                int at = names.indexOf(name);
                if (at < 0) {
                    names.add(name);
                    at = names.size() - 1;
                }
                sql.append('$').append(at + 1);
                jdbc.append('?');
                jdbcNames.add(name);
                i = end - 1;
            } else if (c == '$' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                throw new IllegalArgumentException("a positional parameter in a named statement: " + text);
            } else {
                sql.append(c);
                jdbc.append(c);
            }
        }
        return new NamedSql(sql.toString(), names, jdbc.toString(), jdbcNames);
    }

    /** The statement as PostgreSQL takes it. */
    public String sql() {
        return sql;
    }

    /** The parameters' names, in their positions' order. */
    public List<String> names() {
        return names;
    }

    /** The values of {@code params} in this statement's order; fails naming a parameter that has no value. */
    public Tuple bind(Params params) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = params.get(names.get(i));
        }
        return Tuple.tuple(Arrays.asList(values));
    }

    /** The statement for JDBC (the service's start-up work on Flyway's connection): a {@code ?} per occurrence. */
    public String jdbcSql() {
        return jdbcSql;
    }

    /** The values of {@code params} in the order of {@link #jdbcSql}'s {@code ?}. */
    public List<Object> jdbcValues(Params params) {
        return jdbcNames.stream().map(params::get).toList();
    }

    @Override
    public String toString() {
        return sql;
    }

    private static boolean start(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean part(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /**
     * Values by parameter name, for any statement that names them: one set of values serves the statements
     * of a write whichever of them it runs. Null is a value (SQL NULL); a name never set is an error.
     */
    public static final class Params {

        private final Map<String, Object> values = new HashMap<>();

        public Params set(String name, Object value) {
            values.put(name, value);
            return this;
        }

        Object get(String name) {
            Object value = values.get(name);
            if (value == null && !values.containsKey(name)) {
                throw new IllegalArgumentException("no value for the parameter :" + name);
            }
            return value;
        }
    }
}
