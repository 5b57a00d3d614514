package io.cachekeeper.entry.api;

import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /entries} and {@code PUT /entries/{id}}: an entry without its server fields.
 * {@code ttlSeconds}: absent = {@code cachekeeper.default-ttl}, 0 = expires at once.
 */
@RegisterForReflection
public record EntryInput(
        UUID id,
        @NotBlank @Size(max = 8192) String cacheKey,
        @NotNull @Valid RequestPart request,
        @NotNull @Valid ResponsePart response,
        Map<String, Object> metadata,
        @PositiveOrZero @jakarta.validation.constraints.Max(TEN_YEARS) Long ttlSeconds) {

    /** Upper bound for a TTL, so {@code now() + ttl} always stays a valid timestamp. */
    public static final long TEN_YEARS = 10L * 366 * 24 * 3600;

    public EntryInput {
        metadata = metadata == null ? Map.of() : metadata;
    }
}
