package io.cachekeeper.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every statement the service runs, each one named SQL text in a {@code .sql} resource under {@code sql/}. A
 * statement starts at its header comment, {@code -- name: entry-by-id}, and runs to the next header; a header
 * {@code -- name: entry-by-id @<variant>} is the same statement's variant for a distributed store, written out in
 * full beside it. The variant is chosen once, when the catalogue is read ({@link #load}): the code that runs a
 * request or a batch asks for a statement by name and never sees which form it got.
 *
 * <p>
 * Why {@code .sql} files rather than Java constants: a reviewer reads them as SQL (an editor highlights them, psql
 * runs them), the two variants of a statement sit side by side, and no Java string operation can splice them. The
 * one placeholder syntax is psql's variables:
 * <ul>
 * <li>{@code :name}, a value bound by name at every execution ({@link NamedSql});</li>
 * <li>{@code :'name'}, a setting fixed for the life of the process (the grace period, say), written into the
 * text as a literal when the catalogue is read, because a literal gives the planner what a parameter hides
 * (docs/development.md, "Statements");</li>
 * <li>{@code :"name"}, an identifier (a shard's own table), which no parameter can name: quoted by
 * {@link Statement#withIdentifiers}.</li>
 * </ul>
 * A positional {@code $1} in a statement is refused.
 */
public final class SqlCatalogue {

    /** The resources read, in this order. A name is defined once across all of them. */
    public static final List<String> FILES = List.of("sql/lifecycle.sql", "sql/entries.sql", "sql/bodies.sql",
            "sql/purge.sql", "sql/admin.sql", "sql/recycle-bin.sql", "sql/distributed.sql", "sql/citus-schema.sql");

    private static final Pattern HEADER = Pattern.compile("^-- name: ([a-z0-9-]+)(?: @([a-z]+))?\\s*$", Pattern.MULTILINE);
    private static final Pattern SETTING = Pattern.compile(":'([a-z_]+)'");
    private static final Pattern IDENTIFIER = Pattern.compile(":\"([a-z_]+)\"");

    private final Map<String, Statement> statements;

    private SqlCatalogue(Map<String, Statement> statements) {
        this.statements = statements;
    }

    /**
     * Reads the catalogue: for each name, its {@code variant} form if it has one, else its
     * plain form; a name with only other variants' forms is not in this catalogue. {@code variant} null reads
     * the plain forms. {@code settings} gives the value of every {@code :'name'}.
     */
    public static SqlCatalogue load(String variant, Map<String, String> settings) {
        Map<String, String> files = new LinkedHashMap<>();
        for (String file : FILES) {
            files.put(file, read(file));
        }
        return of(files, variant, settings);
    }

    /** The catalogue of these files' contents, by file name: {@link #load} without the class path. */
    static SqlCatalogue of(Map<String, String> files, String variant, Map<String, String> settings) {
        Map<String, String> plain = new LinkedHashMap<>();
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            String file = f.getKey();
            for (Definition d : definitions(file, f.getValue())) {
                Map<String, String> into = d.variant() == null ? plain : d.variant().equals(variant) ? chosen : null;
                String key = d.name() + (d.variant() == null ? "" : " @" + d.variant());
                if (into != null && into.put(d.name(), d.text()) != null) {
                    throw new IllegalStateException("the statement " + key + " is defined twice (" + file + ")");
                }
            }
        }
        plain.putAll(chosen);
        Map<String, Statement> statements = new LinkedHashMap<>();
        plain.forEach((name, text) -> statements.put(name, new Statement(name, withSettings(name, text, settings))));
        return new SqlCatalogue(statements);
    }

    /** The statement of this name; fails naming it when the catalogue has none. */
    public NamedSql get(String name) {
        return statement(name).sql();
    }

    /** The statement of this name with its identifiers still to be given ({@link Statement#withIdentifiers}). */
    public Statement statement(String name) {
        Statement statement = statements.get(name);
        if (statement == null) {
            throw new IllegalArgumentException("no statement " + name + " in the SQL catalogue " + FILES);
        }
        return statement;
    }

    /** The names this catalogue holds, in the files' order. */
    public List<String> names() {
        return List.copyOf(statements.keySet());
    }

    /** A statement's text, as read: its header and comments left out, its settings written in. */
    public String text(String name) {
        return statement(name).text();
    }

    /** A statement of the catalogue; its named form compiled once, unless it names identifiers. */
    public static final class Statement {

        private final String name;
        private final String text;
        private final NamedSql sql;

        Statement(String name, String text) {
            this.name = name;
            this.text = text;
            this.sql = IDENTIFIER.matcher(text).find() ? null : NamedSql.of(text);
        }

        String text() {
            return text;
        }

        /** The statement, for one that names no identifier. */
        public NamedSql sql() {
            if (sql == null) {
                throw new IllegalStateException("the statement " + name + " names identifiers: use withIdentifiers");
            }
            return sql;
        }

        /** The statement with each {@code :"name"} the identifier {@code identifiers} gives, quoted. */
        public NamedSql withIdentifiers(Map<String, String> identifiers) {
            Matcher m = IDENTIFIER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = identifiers.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException("no identifier :\"" + m.group(1) + "\" for the statement " + name);
                }
                m.appendReplacement(out, Matcher.quoteReplacement('"' + value.replace("\"", "\"\"") + '"'));
            }
            m.appendTail(out);
            return NamedSql.of(out.toString());
        }
    }

    private record Definition(String name, String variant, String text) {
    }

    private static List<Definition> definitions(String file, String content) {
        List<Definition> out = new ArrayList<>();
        Matcher m = HEADER.matcher(content);
        int at = -1;
        String name = null;
        String variant = null;
        while (m.find()) {
            if (name != null) {
                out.add(new Definition(name, variant, body(file, name, content.substring(at, m.start()))));
            }
            name = m.group(1);
            variant = m.group(2);
            at = m.end();
        }
        if (name != null) {
            out.add(new Definition(name, variant, body(file, name, content.substring(at))));
        }
        return out;
    }

    /** The statement's SQL: comment lines and blank lines left out, and its closing semicolon. */
    private static String body(String file, String name, String section) {
        StringBuilder sql = new StringBuilder();
        for (String line : section.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                sql.append(line.stripTrailing()).append('\n');
            }
        }
        String text = sql.toString().strip();
        if (!text.endsWith(";")) {
            throw new IllegalStateException("the statement " + name + " in " + file + " does not end with ';'");
        }
        return text.substring(0, text.length() - 1).strip();
    }

    private static String withSettings(String name, String text, Map<String, String> settings) {
        Matcher m = SETTING.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = settings.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no setting :'" + m.group(1) + "' for the statement " + name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement('\'' + value.replace("'", "''") + '\''));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String read(String file) {
        try (InputStream in = SqlCatalogue.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the SQL catalogue's file " + file + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
