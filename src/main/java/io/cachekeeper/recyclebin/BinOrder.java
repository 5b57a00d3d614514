package io.cachekeeper.recyclebin;

import io.cachekeeper.problem.ProblemException;

/** The recycle bin's orders, newest first, each with the id as tie-breaker (the keyset of the cursor). */
public enum BinOrder {
    /** Newest deletion first: only soft-deleted entries have one. */
    DELETED_AT("deletedAt"),
    /** Newest entry first. */
    CREATED_AT("createdAt");

    final String field;

    BinOrder(String field) {
        this.field = field;
    }

    /** The {@code sort} parameter, or the natural order of the filter when absent. */
    static BinOrder of(String sort, BinFilter filter) {
        if (sort == null) {
            return filter.deletedOnly() ? DELETED_AT : CREATED_AT;
        }
        for (BinOrder order : values()) {
            if (order.field.equals(sort)) {
                return order;
            }
        }
        throw ProblemException.badRequest("sort", "one of deletedAt, createdAt (newest first), not \""
                + sort + "\"");
    }
}
