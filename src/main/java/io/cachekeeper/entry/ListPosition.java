package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Where an entry sits in a listing ordered by a time column, then id: the key lookup's {@code (created_at, id)},
 * the recycle bin's {@code (deleted_at, id)} or {@code (created_at, id)}. A page starts after it.
 */
public record ListPosition(OffsetDateTime at, UUID id) {
}
