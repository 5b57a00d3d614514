package io.cachekeeper.entry;

import java.util.UUID;

/**
 * What a client stores (POST) or replaces (PUT), and what a read gives back of it ({@link EntryRow#content}):
 * the entry without its server fields, JSON parts as JSON text. {@code ttlSeconds} null means "the
 * default" on create and "keep" on replace; {@code body} null means a read left the body out.
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

    public EntryContent withBody(byte[] newBody) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, newBody, metadataJson, ttlSeconds);
    }

    public EntryContent withId(UUID newId) {
        return new EntryContent(newId, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttlSeconds);
    }
}
