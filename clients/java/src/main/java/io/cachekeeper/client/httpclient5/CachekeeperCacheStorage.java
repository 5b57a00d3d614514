package io.cachekeeper.client.httpclient5;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.CachekeeperProblem;
import io.cachekeeper.client.Entry;
import io.cachekeeper.client.EntryRequest;
import io.cachekeeper.client.EntryResponse;
import io.cachekeeper.client.KeyLookup;
import io.cachekeeper.client.NewEntry;
import org.apache.hc.client5.http.cache.HttpCacheEntry;
import org.apache.hc.client5.http.cache.HttpCacheEntrySerializer;
import org.apache.hc.client5.http.cache.HttpCacheStorageEntry;
import org.apache.hc.client5.http.cache.ResourceIOException;
import org.apache.hc.client5.http.impl.cache.AbstractBinaryCacheStorage;
import org.apache.hc.client5.http.impl.cache.HttpByteArrayCacheEntrySerializer;
import org.apache.hc.core5.http.Header;

/**
 * An Apache HttpClient 5 cache storage in cachekeeper: every process and pod whose
 * {@code CachingHttpClients} use it shares one HTTP cache.
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
    }

    /** Entries under a key that a lookup considers; more than one exists only after concurrent first stores. */
    private static final int LOOKUP_LIMIT = 10;
    private static final int MAX_KEY_LENGTH = 8192;

    private final CachekeeperClient cachekeeper;
    private final HttpCacheEntrySerializer<byte[]> serializer;
    private final String keyPrefix;
    private final Duration entryTtl;

    /** Keys under {@code "httpclient5:"}, entries kept 24 hours, 3 retries of a contended update. */
    public CachekeeperCacheStorage(CachekeeperClient cachekeeper) {
        this(cachekeeper, "httpclient5:", Duration.ofHours(24), 3);
    }

    /**
     * @param keyPrefix  put before every cache key: applications that must not share entries use different ones
     * @param entryTtl   how long cachekeeper keeps an entry; longer than the responses' freshness, so stale entries
     *                   can still be revalidated (304) instead of fetched again
     * @param maxUpdateRetries how often a compare-and-set update is tried again after a concurrent write
     */
    public CachekeeperCacheStorage(CachekeeperClient cachekeeper, String keyPrefix, Duration entryTtl,
            int maxUpdateRetries) {
        this(cachekeeper, keyPrefix, entryTtl, maxUpdateRetries, HttpByteArrayCacheEntrySerializer.INSTANCE);
    }

    private CachekeeperCacheStorage(CachekeeperClient cachekeeper, String keyPrefix, Duration entryTtl,
            int maxUpdateRetries, HttpCacheEntrySerializer<byte[]> serializer) {
        super(maxUpdateRetries, serializer);
        this.cachekeeper = cachekeeper;
        this.serializer = serializer;
        this.keyPrefix = keyPrefix;
        this.entryTtl = entryTtl;
    }

    @Override
    protected String digestToStorageKey(String key) {
        String storageKey = keyPrefix + key;
        if (storageKey.length() <= MAX_KEY_LENGTH) {
            return storageKey;
        }
        // cachekeeper keys have at most 8192 characters: a longer one (a huge URL) goes by its digest.
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return keyPrefix + "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void store(String storageKey, byte[] bytes) throws ResourceIOException {
        try {
            NewEntry entry = entryFor(storageKey, bytes);
            List<Entry> existing = live(storageKey, false);
            if (existing.isEmpty()) {
                cachekeeper.create(entry);
                return;
            }
            Entry newest = existing.get(existing.size() - 1);
            try {
                cachekeeper.replace(newest.id(), entry, OptionalLong.empty());
            } catch (CachekeeperProblem p) {
                if (p.status() != 404 && p.status() != 409) {
                    throw p;
                }
                cachekeeper.create(entry); // deleted or purged since the lookup: store afresh
            }
            for (Entry older : existing.subList(0, existing.size() - 1)) {
                cachekeeper.delete(older.id(), OptionalLong.of(older.version())); // duplicates of a race
            }
        } catch (IOException e) {
            throw unavailable("store", storageKey, e);
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
            if (entries.isEmpty()) {
                return null;
            }
            Entry newest = entries.get(entries.size() - 1);
            return new Versioned(newest, newest.response().body());
        } catch (IOException e) {
            throw unavailable("read", storageKey, e);
        }
    }

    @Override
    protected byte[] getStorageObject(Versioned cas) {
        return cas.bytes();
    }

    @Override
    protected boolean updateCAS(String storageKey, Versioned cas, byte[] bytes) throws ResourceIOException {
        try {
            cachekeeper.replace(cas.entry().id(), entryFor(storageKey, bytes), OptionalLong.of(cas.entry().version()));
            return true;
        } catch (CachekeeperProblem p) {
            if (p.status() == 412 || p.status() == 404 || p.status() == 409) {
                return false; // written, deleted or purged since it was read: HttpClient reads again and retries
            }
            throw unavailable("update", storageKey, p);
        } catch (IOException e) {
            throw unavailable("update", storageKey, e);
        }
    }

    @Override
    protected void delete(String storageKey) throws ResourceIOException {
        try {
            cachekeeper.deleteByKey(storageKey);
        } catch (IOException e) {
            throw unavailable("delete", storageKey, e);
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

    /** The live entries under the key, oldest first (the last one is the one in use). */
    private List<Entry> live(String storageKey, boolean withBodies) throws IOException {
        return cachekeeper.findByKey(KeyLookup.of(storageKey).includeBody(withBodies).limit(LOOKUP_LIMIT)).entries();
    }

    private NewEntry entryFor(String storageKey, byte[] bytes) throws ResourceIOException {
        HttpCacheStorageEntry stored = serializer.deserialize(bytes);
        HttpCacheEntry entry = stored.getContent();
        Map<String, List<String>> responseHeaders = headers(entry.headerIterator(), null);
        // Only the request headers the response varies on: enough to tell variants apart, and no credentials.
        Set<String> vary = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : entry.getHeaders("Vary")) {
            for (String name : h.getValue().split(",")) {
                vary.add(name.trim());
            }
        }
        Map<String, List<String>> requestHeaders = headers(entry.requestHeaderIterator(), vary);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("format", "httpclient5-cache " + HttpByteArrayCacheEntrySerializer.class.getSimpleName());
        metadata.put("httpClientKey", stored.getKey());
        if (entry.hasVariants()) {
            metadata.put("variants", new ArrayList<>(entry.getVariants()));
        }
        return new NewEntry(null, storageKey,
                new EntryRequest(entry.getRequestMethod(), entry.getRequestURI(), requestHeaders),
                new EntryResponse(entry.getStatus(), responseHeaders, bytes),
                metadata, entryTtl.toSeconds());
    }

    private static Map<String, List<String>> headers(Iterator<Header> headers, Set<String> only) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        headers.forEachRemaining(h -> {
            if (only == null || only.contains(h.getName())) {
                map.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .add(h.getValue());
            }
        });
        return map;
    }

    private static ResourceIOException unavailable(String what, String key, IOException cause) {
        return new ResourceIOException("cachekeeper " + what + " of " + key + " failed: " + cause, cause);
    }

    /** For tests and diagnostics: the cachekeeper entry behind a cache key, if one is live. */
    public Optional<Entry> entryOf(String cacheKey) throws IOException {
        List<Entry> entries = live(digestToStorageKey(cacheKey), false);
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }
}
