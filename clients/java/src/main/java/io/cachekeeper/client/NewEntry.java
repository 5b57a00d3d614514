package io.cachekeeper.client;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a client sends to store or replace an entry. {@code id} may be null (the service picks one);
 * {@code ttlSeconds} null means the service's default TTL, 0 expires the entry at once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewEntry(UUID id, String cacheKey, EntryRequest request, EntryResponse response,
        Map<String, Object> metadata, Long ttlSeconds) {

    public NewEntry {
        metadata = metadata == null ? Map.of() : metadata;
    }

    public NewEntry withId(UUID newId) {
        return new NewEntry(newId, cacheKey, request, response, metadata, ttlSeconds);
    }
}
