package io.cachekeeper.entry;

import java.util.HashMap;
import java.util.Map;

/**
 * The statement of each shape of a key lookup ({@link KeyQuery}): which states it includes, whether
 * bodies come along, whether it continues after a cursor. The states are written into the SQL rather
 * than passed as flags, so each shape's plan is the plain index scan on {@code (cache_key, created_at,
 * id)} with its own filter; a generic plan over {@code ($2 AND …) OR …} filters every row with all three.
 *
 * <p>
 * Parameters: {@code $1} the key, {@code $2} the limit, {@code $3, $4} the cursor's created_at and id.
 *
 * <p>
 * With bodies, the page also stops at {@link KeyQuery#PAGE_BODY_BYTES} (always at least one entry), in two steps.
 * The first ({@link #of}) is the plain index scan: a row's body comes along only if it is at most
 * {@code KeyQuery.PAGE_BODY_BYTES / limit} bytes — no page of such bodies can pass the cap — and {@code fits} says
 * whether it did. When every row fits (the common case: a handful of small entries) that is the page.
 * Otherwise the lookup runs the second ({@link #capped}), which cuts the page in the same single index
 * scan: a running sum over {@code octet_length(response_body)} — the size PostgreSQL keeps in the TOAST
 * pointer, read without fetching the body — marks the rows past the cap, which come back without their
 * body (never detoasted, never sent) and with {@code fits} false; the repository ends the page before
 * them. Either way a hot key of large entries cannot pull gigabytes into the heap, and a page comes from
 * one statement, one snapshot. The first step costs about what a plain {@code SELECT *} of the key's live
 * rows costs, and the other shapes tried cost more (docs/performance.md, "Figures behind the code").
 */
final class KeyLookupStatements {

    /**
     * The boolean column of a lookup with bodies: in the first step, whether the row's body came along; in
     * the capped statement, false from the first row past the byte cap on.
     */
    static final String FITS = "fits";

    /** A statement's shape: what the lookup includes and whether it continues after a cursor. */
    record Shape(boolean includeBody, boolean includeDeleted, boolean includeExpired, boolean afterCursor) {

        static Shape of(KeyQuery q) {
            return new Shape(q.includeBody(), q.includeDeleted(), q.includeExpired(), q.after() != null);
        }
    }

    private final Map<Shape, String> statements = new HashMap<>();
    private final Map<Shape, String> cappedStatements = new HashMap<>();

    /**
     * {@code columns}: the entry's columns without the body, in the order the repository reads them; {@code citus}:
     * the key's route named too, so that Citus sends the lookup to one shard ({@link Route}).
     */
    KeyLookupStatements(Lifecycle lifecycle, String columns, boolean citus) {
        for (boolean body : new boolean[] { false, true }) {
            for (boolean deleted : new boolean[] { false, true }) {
                for (boolean expired : new boolean[] { false, true }) {
                    for (boolean after : new boolean[] { false, true }) {
                        Shape shape = new Shape(body, deleted, expired, after);
                        statements.put(shape, build(lifecycle, columns, shape, citus));
                        if (body) {
                            cappedStatements.put(shape, capped(lifecycle, columns, shape, citus));
                        }
                    }
                }
            }
        }
    }

    /** The lookup's statement; with bodies, its first step. */
    String of(KeyQuery query) {
        return statements.get(Shape.of(query));
    }

    /** With bodies, the statement that cuts the page at the byte cap, for a page the first step could not carry. */
    String capped(KeyQuery query) {
        return cappedStatements.get(Shape.of(query));
    }

    private static String matching(Lifecycle lifecycle, Shape shape, boolean citus) {
        String states = lifecycle.live()
                + (shape.includeDeleted() ? " OR " + lifecycle.deleted() : "")
                + (shape.includeExpired() ? " OR " + lifecycle.expired() : "");
        return """
                cache_key = $1%s AND (%s)%s""".formatted(citus ? " AND " + Route.condition("$1") : "", states,
                shape.afterCursor() ? " AND (created_at, id) > ($3, $4)" : "");
    }

    private static String build(Lifecycle lifecycle, String columns, Shape shape, boolean citus) {
        if (!shape.includeBody()) {
            return """
                    SELECT %s FROM cache_entry
                    WHERE %s
                    ORDER BY created_at, id
                    LIMIT $2
                    """.formatted(columns, matching(lifecycle, shape, citus));
        }
        // A CASE that is false never detoasts the body: a large one stays in TOAST.
        return """
                SELECT %1$s,
                       CASE WHEN octet_length(response_body) <= %2$d / $2::bigint THEN response_body END AS response_body,
                       octet_length(response_body) <= %2$d / $2::bigint AS %3$s
                FROM cache_entry
                WHERE %4$s
                ORDER BY created_at, id
                LIMIT $2
                """.formatted(columns, KeyQuery.PAGE_BODY_BYTES, FITS, matching(lifecycle, shape, citus));
    }

    private static String capped(Lifecycle lifecycle, String columns, Shape shape, boolean citus) {
        // ROWS framing: the running sum is emitted row by row, so the LIMIT above it stops the scan.
        return """
                SELECT %1$s,
                       CASE WHEN bytes_before < %2$d THEN response_body END AS response_body,
                       bytes_before < %2$d AS %3$s
                FROM (
                    SELECT *,
                           sum(octet_length(response_body)) OVER (ORDER BY created_at, id ROWS UNBOUNDED PRECEDING)
                               - octet_length(response_body) AS bytes_before
                    FROM cache_entry
                    WHERE %4$s
                    ORDER BY created_at, id
                    LIMIT $2) page
                ORDER BY created_at, id
                """.formatted(columns, KeyQuery.PAGE_BODY_BYTES, FITS, matching(lifecycle, shape, citus));
    }
}
