package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.SqlCatalogue;

/**
 * The lifecycle is written once, in the catalogue's {@code lifecycle-rules} (sql/lifecycle.sql), and every other
 * statement spells a horizon exactly as that statement does, at the database's clock or at an instant the statement
 * is given ({@code :now}, {@code :clock}). A horizon written another way (a {@code >=}, another column, another
 * clock) is a rule of its own, and fails here.
 */
class LifecycleSpellingTest {

    private static final String CLOCK = "(?:now\\(\\)|:now::timestamptz|:clock::timestamptz)";

    /** Every form a statement may take the grace period in. */
    private static final Pattern GRACE_FORMS = Pattern.compile("deleted_at > " + CLOCK + " - :'grace_period'::interval"
            + "|deleted_at <= " + CLOCK + " - :'grace_period'::interval"
            + "|THEN deleted_at \\+ :'grace_period'::interval");

    /** Every form a statement may take stale retention in. */
    private static final Pattern RETENTION_FORMS = Pattern.compile(
            "deleted_at IS NULL AND expires_at <= " + CLOCK + " - :'stale_retention'::interval"
                    + "|ELSE expires_at \\+ :'stale_retention'::interval");

    /** The live state, wherever a statement names it: not deleted, and no expiry or one still ahead. */
    private static final Pattern LIVE_FORM = Pattern
            .compile("deleted_at IS NULL AND \\(expires_at IS NULL OR expires_at > now\\(\\)\\)");

    @Test
    void everyStatementSpellsTheHorizonsAsTheLifecycleRulesDo() throws IOException {
        for (String file : SqlCatalogue.FILES) {
            String sql = withoutComments(read(file));
            assertEquals(count(sql, ":'grace_period'"), count(sql, GRACE_FORMS), file + ": the grace period in another form");
            assertEquals(count(sql, ":'stale_retention'"), count(sql, RETENTION_FORMS),
                    file + ": stale retention in another form");
            assertEquals(count(sql, "expires_at > now()"), count(sql, LIVE_FORM), file + ": the live state in another form");
        }
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("(?m)^\\s*--.*$", "").replaceAll("\\s+", " ");
    }

    private static int count(String text, String literal) {
        return count(text, Pattern.compile(Pattern.quote(literal)));
    }

    private static int count(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String read(String file) throws IOException {
        try (InputStream in = SqlCatalogue.class.getClassLoader().getResourceAsStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
