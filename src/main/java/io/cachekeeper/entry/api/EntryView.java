package io.cachekeeper.entry.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.cachekeeper.entry.EntryState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** An entry as the API shows it, with {@code state} and {@code purgeAfter} from the database clock. */
@RegisterForReflection
public record EntryView(
        UUID id,
        String cacheKey,
        RequestPart request,
        ResponsePart response,
        Map<String, Object> metadata,
        Long ttlSeconds,
        Instant createdAt,
        Instant expiresAt,
        Instant deletedAt,
        Instant purgeAfter,
        EntryState state) {
}
