package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import io.cachekeeper.entry.EntryContent;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of {@code POST /entries} and {@code PUT /entries/{id}}: an entry without its server fields.
 * {@code ttlSeconds}: absent = {@code cachekeeper.default-ttl} (on a replace: the TTL kept), 0 = expires at once;
 * {@code neverExpires}: no TTL, whatever the default. {@code tags}: absent =
 * taken from the response's headers ({@code cachekeeper.tags.from-headers}), {@code []} = none.
 */
@RegisterForReflection
public record EntryInput(
        UUID id,
        @NotBlank String cacheKey,
        @NotNull @Valid RequestPart request,
        @NotNull @Valid ResponsePart response,
        Map<String, Object> metadata,
        @PositiveOrZero @jakarta.validation.constraints.Max(TEN_YEARS) Long ttlSeconds,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "tags for invalidation by tag; absent: taken from the response headers named by cachekeeper.tags.from-headers") java.util.List<String> tags,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "true: the entry never expires, whatever cachekeeper.default-ttl is (not with ttlSeconds)") Boolean neverExpires) {

    /** Upper bound for a TTL, so {@code now() + ttl} always stays a valid timestamp. */
    public static final long TEN_YEARS = 10L * 366 * 24 * 3600;

    public EntryInput {
        metadata = metadata == null ? Map.of() : metadata;
    }

    /**
     * The entry's content, as the write stores it: the JSON parts written as text by {@code json}, the tags
     * {@code tags} (given, or taken from the headers). The one mapping from the API's input to an entry's columns.
     */
    public EntryContent content(Function<Object, String> json, List<String> tags) {
        EntryContent content = new EntryContent(id, cacheKey, request.method(), request.url(), json.apply(request.headers()),
                response.status(), json.apply(response.headers()), response.body(), json.apply(metadata), ttlSeconds, tags);
        return response.bodyId() == null ? content : content.withStreamedBody(response.bodyId(), null);
    }

    /** How the write treats what the content leaves unsaid: the body kept, the TTL none. */
    public io.cachekeeper.entry.WriteMode mode() {
        return new io.cachekeeper.entry.WriteMode(response != null && response.keepsBody(), Boolean.TRUE.equals(neverExpires));
    }
}
