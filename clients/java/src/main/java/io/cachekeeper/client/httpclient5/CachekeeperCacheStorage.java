package io.cachekeeper.client.httpclient5;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.CachekeeperProblem;
import io.cachekeeper.client.Entry;
import io.cachekeeper.client.NewEntry;
import org.apache.hc.client5.http.cache.ResourceIOException;
import org.apache.hc.client5.http.impl.cache.AbstractBinaryCacheStorage;
import org.apache.hc.client5.http.impl.cache.HttpByteArrayCacheEntrySerializer;

/**
 * An Apache HttpClient 5 cache storage in cachekeeper: every process and pod whose
 * {@code CachingHttpClients} use it shares one HTTP cache ({@link CachekeeperAsyncCacheStorage} for
 * {@code CachingHttpAsyncClients}).
 * <p>
 * One cache entry of HttpClient is one live cachekeeper entry under the cache key (prefixed, so other
 * clients' keys never collide); its response body holds HttpClient's own serialized form of the entry
 * (request, response, resource, variants), and the entry's request and response fields repeat the
 * method, URL, status and headers so that operators can read, invalidate by URL prefix and count it.
 * Reads ask for the live entries only, so an entry soft-deleted through the admin API is no longer
 * served. HttpClient's compare-and-set updates (revalidation, variant maps) write with
 * {@code If-Match} on the version they read: a concurrent writer makes the update retry, never lose a write.
 * Every failure to reach cachekeeper becomes a {@link ResourceIOException}, which HttpClient's cache
 * logs and treats as a miss: the service being down costs a trip to the origin, not an error.
 */
public class CachekeeperCacheStorage extends AbstractBinaryCacheStorage<CachekeeperCacheStorage.Versioned> {

    /** What a compare-and-set read saw: the entry, the version to write against, HttpClient's bytes. */
    public record Versioned(Entry entry, byte[] bytes) {

        static Versioned of(Entry entry) {
            return new Versioned(entry, entry.response().body());
        }
    }

    private final CachekeeperClient cachekeeper;
    private final EntryMapping mapping;

    /** Keys under {@code "httpclient5:"}, entries kept 24 hours, 3 retries of a contended update. */
    public CachekeeperCacheStorage(CachekeeperClient cachekeeper) {
        this(cachekeeper, EntryMapping.DEFAULT_PREFIX, EntryMapping.DEFAULT_TTL, EntryMapping.DEFAULT_RETRIES);
    }

    /**
     * @param keyPrefix  put before every cache key: applications that must not share entries use different ones
     * @param entryTtl   how long cachekeeper keeps an entry; longer than the responses' freshness, so stale entries
     *                   can still be revalidated (304) instead of fetched again
     * @param maxUpdateRetries how often a compare-and-set update is tried again after a concurrent write
     */
    public CachekeeperCacheStorage(CachekeeperClient cachekeeper, String keyPrefix, Duration entryTtl,
            int maxUpdateRetries) {
        super(maxUpdateRetries, HttpByteArrayCacheEntrySerializer.INSTANCE);
        this.cachekeeper = cachekeeper;
        this.mapping = new EntryMapping(keyPrefix, entryTtl);
    }

    @Override
    protected String digestToStorageKey(String key) {
        return mapping.storageKey(key);
    }

    @Override
    protected void store(String storageKey, byte[] bytes) throws ResourceIOException {
        try {
            NewEntry entry = CachekeeperClient.await(mapping.entryToWrite(cachekeeper, storageKey, bytes));
            List<Entry> existing = live(storageKey, false);
            if (existing.isEmpty()) {
                cachekeeper.create(entry);
                return;
            }
            Entry newest = EntryMapping.newest(existing);
            try {
                cachekeeper.replace(newest.id(), entry, OptionalLong.empty());
            } catch (CachekeeperProblem p) {
                if (!EntryMapping.lostRace(p)) {
                    throw p;
                }
                cachekeeper.create(entry); // deleted or purged since the lookup: store afresh
            }
            for (Entry older : existing.subList(0, existing.size() - 1)) {
                cachekeeper.delete(older.id(), OptionalLong.of(older.version())); // duplicates of a race
            }
        } catch (IOException e) {
            throw EntryMapping.unavailable("store", storageKey, e);
        }
    }

    @Override
    protected byte[] restore(String storageKey) throws ResourceIOException {
        Versioned found = getForUpdateCAS(storageKey);
        return found == null ? null : found.bytes();
    }

    @Override
    protected Versioned getForUpdateCAS(String storageKey) throws ResourceIOException {
        try {
            List<Entry> entries = live(storageKey, true);
            return entries.isEmpty() ? null : CachekeeperClient.await(EntryMapping.versioned(cachekeeper, EntryMapping.newest(entries)));
        } catch (IOException e) {
            throw EntryMapping.unavailable("read", storageKey, e);
        }
    }

    @Override
    protected byte[] getStorageObject(Versioned cas) {
        return cas.bytes();
    }

    @Override
    protected boolean updateCAS(String storageKey, Versioned cas, byte[] bytes) throws ResourceIOException {
        try {
            cachekeeper.replace(cas.entry().id(), CachekeeperClient.await(mapping.entryToWrite(cachekeeper, storageKey, bytes)),
                    OptionalLong.of(cas.entry().version()));
            return true;
        } catch (IOException e) {
            if (EntryMapping.lostRace(e)) {
                return false; // HttpClient reads again and retries
            }
            throw EntryMapping.unavailable("update", storageKey, e);
        }
    }

    @Override
    protected void delete(String storageKey) throws ResourceIOException {
        try {
            cachekeeper.deleteByKey(storageKey);
        } catch (IOException e) {
            throw EntryMapping.unavailable("delete", storageKey, e);
        }
    }

    @Override
    protected Map<String, byte[]> bulkRestore(Collection<String> storageKeys) throws ResourceIOException {
        Map<String, byte[]> found = new HashMap<>();
        for (String key : storageKeys) {
            byte[] bytes = restore(key);
            if (bytes != null) {
                found.put(key, bytes);
            }
        }
        return found;
    }

    private List<Entry> live(String storageKey, boolean withBodies) throws IOException {
        return cachekeeper.findByKey(EntryMapping.live(storageKey, withBodies)).entries();
    }

    /** For tests and diagnostics: the cachekeeper entry behind a cache key, if one is live. */
    public Optional<Entry> entryOf(String cacheKey) throws IOException {
        List<Entry> entries = live(digestToStorageKey(cacheKey), false);
        return entries.isEmpty() ? Optional.empty() : Optional.of(EntryMapping.newest(entries));
    }
}
