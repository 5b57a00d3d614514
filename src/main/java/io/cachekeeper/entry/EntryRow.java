package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A {@code cache_entry} row as the repository reads it: the content a client stored, and what the
 * server keeps beside it, with its {@link EntryState} and {@code purgeAfter} computed by the database in
 * the same statement. The content's body is null when the caller asked without it.
 */
public record EntryRow(
        EntryContent content,
        OffsetDateTime createdAt,
        OffsetDateTime expiresAt,
        OffsetDateTime deletedAt,
        OffsetDateTime purgeAfter,
        EntryState state,
        long version) {

    public UUID id() {
        return content.id();
    }

    public EntryRow withBody(byte[] body) {
        return new EntryRow(content.withBody(body), createdAt, expiresAt, deletedAt, purgeAfter, state, version);
    }
}
