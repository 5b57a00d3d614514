package io.cachekeeper.client.httpclient5;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.CachekeeperProblem;
import io.cachekeeper.client.Entry;
import io.cachekeeper.client.EntryRequest;
import io.cachekeeper.client.EntryResponse;
import io.cachekeeper.client.KeyLookup;
import io.cachekeeper.client.NewEntry;
import org.apache.hc.client5.http.cache.HttpCacheEntry;
import org.apache.hc.client5.http.cache.HttpCacheStorageEntry;
import org.apache.hc.client5.http.cache.ResourceIOException;
import org.apache.hc.client5.http.impl.cache.HttpByteArrayCacheEntrySerializer;
import org.apache.hc.core5.http.Header;

/**
 * How an HttpClient cache entry becomes a cachekeeper entry, shared by the blocking and the
 * non-blocking storage: the storage key, the entry written, the lookup that reads it back.
 */
final class EntryMapping {

    // The defaults of both storages.
    static final String DEFAULT_PREFIX = "httpclient5:";
    static final Duration DEFAULT_TTL = Duration.ofHours(24);
    static final int DEFAULT_RETRIES = 3;

    /** Entries under a key that a lookup considers; more than one exists only after concurrent first stores. */
    private static final int LOOKUP_LIMIT = 10;
    private static final int MAX_KEY_LENGTH = 8192;
    /** Entries up to this many bytes travel in the JSON; larger ones are uploaded as bytes. */
    static final int INLINE_LIMIT = 256 * 1024;

    private final String keyPrefix;
    private final Duration entryTtl;

    EntryMapping(String keyPrefix, Duration entryTtl) {
        this.keyPrefix = keyPrefix;
        this.entryTtl = entryTtl;
    }

    /** The prefixed key; a key longer than cachekeeper takes (8192 characters, a huge URL) goes by its digest. */
    String storageKey(String key) {
        String storageKey = keyPrefix + key;
        if (storageKey.length() <= MAX_KEY_LENGTH) {
            return storageKey;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return keyPrefix + "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live entries under the key, oldest first: the last one is the one in use. */
    static KeyLookup live(String storageKey, boolean withBodies) {
        return KeyLookup.of(storageKey).includeBody(withBodies).limit(LOOKUP_LIMIT);
    }

    static Entry newest(List<Entry> entries) {
        return entries.get(entries.size() - 1);
    }

    /**
     * A conditional write refused because the entry was written (412), deleted (409) or purged (404) since it
     * was read: HttpClient reads again and retries.
     */
    static boolean lostRace(Throwable failure) {
        return CachekeeperClient.unwrap(failure) instanceof CachekeeperProblem p
                && (p.status() == 412 || p.status() == 404 || p.status() == 409);
    }

    static ResourceIOException unavailable(String what, String key, Throwable failure) {
        Throwable cause = CachekeeperClient.unwrap(failure);
        return new ResourceIOException("cachekeeper " + what + " of " + key + " failed: " + cause, cause);
    }

    /**
     * The entry to write, with a body over {@link #INLINE_LIMIT} uploaded as bytes first ({@code POST /bodies}): no
     * base64, and no bound but the service's {@code streamed-bodies.max-size}. HttpClient hands a storage the
     * whole entry as one byte array, so the bytes are in memory here whatever the transport.
     */
    CompletableFuture<NewEntry> entryToWrite(CachekeeperClient cachekeeper, String storageKey, byte[] bytes) {
        NewEntry entry;
        try {
            entry = entryFor(storageKey, bytes);
        } catch (ResourceIOException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (bytes.length <= INLINE_LIMIT) {
            return CompletableFuture.completedFuture(entry);
        }
        return cachekeeper.uploadBodyAsync(storageKey, HttpRequest.BodyPublishers.ofByteArray(bytes))
                .thenApply(body -> new NewEntry(entry.id(), entry.cacheKey(), entry.request(),
                        EntryResponse.uploaded(entry.response().status(), entry.response().headers(), body),
                        entry.metadata(), entry.ttlSeconds()));
    }

    /** An entry read back with its bytes: from its JSON, or read as bytes when it was uploaded so; null when it changed meanwhile. */
    static CompletableFuture<CachekeeperCacheStorage.Versioned> versioned(CachekeeperClient cachekeeper, Entry entry) {
        if (!entry.response().streamed()) {
            return CompletableFuture.completedFuture(CachekeeperCacheStorage.Versioned.of(entry));
        }
        return cachekeeper.readBodyAsync(entry.id(), entry.version())
                .thenApply(bytes -> bytes.map(b -> new CachekeeperCacheStorage.Versioned(entry, b)).orElse(null));
    }

    /** The entry to write: HttpClient's bytes as the body, and what they hold as readable fields. */
    NewEntry entryFor(String storageKey, byte[] bytes) throws ResourceIOException {
        HttpCacheStorageEntry stored = HttpByteArrayCacheEntrySerializer.INSTANCE.deserialize(bytes);
        HttpCacheEntry entry = stored.getContent();
        // Only the request headers the response varies on: enough to tell variants apart, and no credentials.
        Set<String> vary = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : entry.getHeaders("Vary")) {
            for (String name : h.getValue().split(",")) {
                vary.add(name.trim());
            }
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("format", "httpclient5-cache " + HttpByteArrayCacheEntrySerializer.class.getSimpleName());
        metadata.put("httpClientKey", stored.getKey());
        if (entry.hasVariants()) {
            metadata.put("variants", new ArrayList<>(entry.getVariants()));
        }
        return new NewEntry(null, storageKey,
                new EntryRequest(entry.getRequestMethod(), entry.getRequestURI(), headers(entry.requestHeaderIterator(), vary)),
                new EntryResponse(entry.getStatus(), headers(entry.headerIterator(), null), bytes),
                metadata, entryTtl.toSeconds());
    }

    private static Map<String, List<String>> headers(Iterator<Header> headers, Set<String> only) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        headers.forEachRemaining(h -> {
            if (only == null || only.contains(h.getName())) {
                map.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(h.getValue());
            }
        });
        return map;
    }
}
