package io.cachekeeper.entry;

/**
 * One page of {@code GET /entries?key=K}: which states to include, whether bodies come along, how
 * many rows, and where the previous page ended in {@code (created_at, id)} order ({@code after}, null for the first page).
 */
public record KeyQuery(String key, boolean includeDeleted, boolean includeExpired, boolean includeBody, int limit,
        ListPosition after) {

    /**
     * A page with bodies ends before this many bytes of them (always at least one entry): sql/entries.sql,
     * entries-by-key-with-bodies.
     */
    public static final long PAGE_BODY_BYTES = 16L << 20;
}
