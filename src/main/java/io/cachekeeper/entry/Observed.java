package io.cachekeeper.entry;

import java.time.OffsetDateTime;

/** An entry together with the database's "now" it was read or written at, to compute its state. */
public record Observed(CacheEntry entry, OffsetDateTime now) {
}
