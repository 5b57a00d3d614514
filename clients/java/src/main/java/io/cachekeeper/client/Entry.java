package io.cachekeeper.client;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A stored entry as cachekeeper shows it. {@code state} is live, expired, deleted or purgeable;
 * {@code version} changes with every write and is what {@code ifMatch} arguments name; {@code tags} are
 * what {@link CachekeeperClient#deleteByTags} matches (the service takes them from the response's
 * {@code Surrogate-Key} and {@code Cache-Tag} headers).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Entry(
        UUID id,
        String cacheKey,
        EntryRequest request,
        EntryResponse response,
        Map<String, Object> metadata,
        Long ttlSeconds,
        Instant createdAt,
        Instant expiresAt,
        Instant deletedAt,
        Instant purgeAfter,
        String state,
        long version,
        java.util.List<String> tags) {

    public Entry {
        tags = tags == null ? java.util.List.of() : tags;
    }

    /** Live: neither deleted nor expired. Key lookups list only these unless asked otherwise. */
    public boolean isLive() {
        return "live".equals(state);
    }
}
