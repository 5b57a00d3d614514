package io.cachekeeper.entry;

import java.util.List;
import java.util.UUID;

/**
 * What a client stores (POST) or replaces (PUT), and what a read gives back of it ({@link EntryRow#content}):
 * the entry without its server fields, JSON parts as JSON text. {@code ttlSeconds} null means "the
 * default" on create and "keep" on replace; {@code body} null means a read left the body out.
 * {@code tags}: the entry's tags, distinct, in the order given (empty when it has none).
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
        Long ttlSeconds,
        List<String> tags) {

    public EntryContent {
        tags = tags == null ? List.of() : tags;
    }

    public EntryContent withTtl(Long ttl) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttl, tags);
    }

    public EntryContent withBody(byte[] newBody) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, newBody, metadataJson, ttlSeconds, tags);
    }

    public EntryContent withId(UUID newId) {
        return new EntryContent(newId, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttlSeconds, tags);
    }
}
