package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One page of {@code GET /entries?key=K}: which states to include, whether bodies come along, how
 * many rows, and where the previous page ended ({@code after}, null for the first page).
 */
public record KeyQuery(String key, boolean includeDeleted, boolean includeExpired, boolean includeBody, int limit,
        Cursor after) {

    /** The position of an entry in key-lookup order: {@code (created_at, id)}. */
    public record Cursor(OffsetDateTime createdAt, UUID id) {
    }
}
