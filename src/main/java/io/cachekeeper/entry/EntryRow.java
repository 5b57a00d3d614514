package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A {@code cache_entry} row as the repository reads it, with its {@link EntryState} and
 * {@code purgeAfter} computed by the database in the same statement. The JSON columns stay JSON
 * text (they go back out as JSON unchanged); {@code body} is null when the caller asked without it.
 */
public record EntryRow(
        UUID id,
        String cacheKey,
        String requestMethod,
        String requestUrl,
        String requestHeadersJson,
        int responseStatus,
        String responseHeadersJson,
        byte[] body,
        String metadataJson,
        Long ttlSeconds,
        OffsetDateTime createdAt,
        OffsetDateTime expiresAt,
        OffsetDateTime deletedAt,
        OffsetDateTime purgeAfter,
        EntryState state,
        long version) {

    public EntryRow withBody(byte[] newBody) {
        return new EntryRow(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, newBody, metadataJson, ttlSeconds, createdAt, expiresAt, deletedAt, purgeAfter,
                state, version);
    }
}
