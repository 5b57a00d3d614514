package io.cachekeeper.admin;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Row counts by lifecycle state ({@code total} = the sum). */
@RegisterForReflection
public record StoreStats(long total, long live, long expired, long deleted, long purgeable) {
}
