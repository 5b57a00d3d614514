package io.cachekeeper.body;

/**
 * How a statement that deletes entries takes their streamed bodies with them: written once, for every purge
 * path (the heap sweep, the index batches, size-cap eviction). The entries' {@code DELETE} is a data-modifying
 * CTE that returns {@code body_id}; this CTE removes those bodies in the same statement, hence the same
 * transaction, and their chunks follow by the foreign key's cascade (migration V8). An entry without a streamed
 * body makes the array empty: an index probe of nothing.
 */
public final class BodyRemoval {

    private BodyRemoval() {
    }

    /** A CTE (without a leading comma) removing the bodies of the rows the CTE {@code gone} returned. */
    public static String of(String gone) {
        return "bodies_gone AS (DELETE FROM cache_body WHERE id = ANY(ARRAY(SELECT body_id FROM " + gone
                + " WHERE body_id IS NOT NULL)))";
    }
}
