package io.cachekeeper.entry;

import java.util.UUID;

/**
 * What a client stores (POST) or replaces (PUT): the entry without its server fields, JSON parts
 * already serialised. {@code ttlSeconds} null means "the default" on create and "keep" on replace.
 */
public record EntryContent(
        UUID id,
        String cacheKey,
        String requestMethod,
        String requestUrl,
        String requestHeadersJson,
        int responseStatus,
        String responseHeadersJson,
        byte[] body,
        String metadataJson,
        Long ttlSeconds) {

    public EntryContent withTtl(Long ttl) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttl);
    }

    public EntryContent withId(UUID newId) {
        return new EntryContent(newId, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttlSeconds);
    }
}
