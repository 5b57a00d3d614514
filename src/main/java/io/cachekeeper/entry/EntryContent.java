package io.cachekeeper.entry;

import java.util.List;
import java.util.UUID;

/**
 * What a client stores (POST) or replaces (PUT), and what a read gives back of it ({@link EntryRow#content}):
 * the entry without its server fields, JSON parts as JSON text. {@code ttlSeconds} null means "the
 * default" on create and "keep" on replace; {@code body} null means a read left the body out.
 * {@code tags}: the entry's tags, distinct, in the order given (empty when it has none).
 * {@code bodyId}: a streamed body (an upload of {@code POST /bodies}) in place of {@code body}, which is then
 * empty; {@code bodySize} its size, on reads (null on writes, and for a body in {@code body}).
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
        List<String> tags,
        UUID bodyId,
        Long bodySize) {

    public EntryContent {
        tags = tags == null ? List.of() : tags;
    }

    /** Content whose body is in {@code body} (not streamed). */
    public EntryContent(UUID id, String cacheKey, String requestMethod, String requestUrl, String requestHeadersJson,
            int responseStatus, String responseHeadersJson, byte[] body, String metadataJson, Long ttlSeconds,
            List<String> tags) {
        this(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus, responseHeadersJson, body,
                metadataJson, ttlSeconds, tags, null, null);
    }

    /** Whether the body is a streamed one ({@link #bodyId}). */
    public boolean streamed() {
        return bodyId != null;
    }

    public EntryContent withTtl(Long ttl) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttl, tags, bodyId, bodySize);
    }

    public EntryContent withBody(byte[] newBody) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, newBody, metadataJson, ttlSeconds, tags, bodyId, bodySize);
    }

    public EntryContent withStreamedBody(UUID newBodyId, Long size) {
        return new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, new byte[0], metadataJson, ttlSeconds, tags, newBodyId, size);
    }

    public EntryContent withId(UUID newId) {
        return new EntryContent(newId, cacheKey, requestMethod, requestUrl, requestHeadersJson, responseStatus,
                responseHeadersJson, body, metadataJson, ttlSeconds, tags, bodyId, bodySize);
    }
}
