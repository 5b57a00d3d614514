package io.cachekeeper.body;

import java.util.UUID;

/**
 * An uploaded body and the cache key it was uploaded under: every statement on a body names both, the key
 * being how a distributed store finds the body's shard (that of its entry) and the id how the row is found in it.
 */
public record BodyKey(UUID id, String cacheKey) {
}
