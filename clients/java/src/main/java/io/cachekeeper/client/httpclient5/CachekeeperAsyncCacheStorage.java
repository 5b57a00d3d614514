package io.cachekeeper.client.httpclient5;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.Entry;
import io.cachekeeper.client.NewEntry;
import org.apache.hc.client5.http.cache.ResourceIOException;
import org.apache.hc.client5.http.impl.cache.AbstractBinaryAsyncCacheStorage;
import org.apache.hc.client5.http.impl.cache.HttpByteArrayCacheEntrySerializer;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * {@link CachekeeperCacheStorage} for {@code CachingHttpAsyncClients}: the same entries, keys and
 * compare-and-set rules, but no thread waits: every call is a {@code java.net.http} future, completed
 * into HttpClient's callback. A failure to reach cachekeeper fails the callback with a
 * {@link ResourceIOException}, which HttpClient's asynchronous cache treats as a miss.
 */
public class CachekeeperAsyncCacheStorage extends AbstractBinaryAsyncCacheStorage<CachekeeperCacheStorage.Versioned> {

    private final CachekeeperClient cachekeeper;
    private final EntryMapping mapping;

    /** Keys under {@code "httpclient5:"} (shared with {@link CachekeeperCacheStorage}), 24 hours, 3 retries. */
    public CachekeeperAsyncCacheStorage(CachekeeperClient cachekeeper) {
        this(cachekeeper, EntryMapping.DEFAULT_PREFIX, EntryMapping.DEFAULT_TTL, EntryMapping.DEFAULT_RETRIES);
    }

    /** The parameters of {@link CachekeeperCacheStorage#CachekeeperCacheStorage(CachekeeperClient, String, Duration, int)}. */
    public CachekeeperAsyncCacheStorage(CachekeeperClient cachekeeper, String keyPrefix, Duration entryTtl,
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
    protected Cancellable store(String storageKey, byte[] bytes, FutureCallback<Boolean> callback) {
        CompletableFuture<Boolean> stored = entryFor(storageKey, bytes)
                .thenCompose(entry -> live(storageKey, false).thenCompose(existing -> write(entry, existing)));
        return complete(stored, callback, "store", storageKey);
    }

    /** Creates the entry, or replaces the newest live one under its key and drops older duplicates of a race. */
    private CompletableFuture<Boolean> write(NewEntry entry, List<Entry> existing) {
        if (existing.isEmpty()) {
            return cachekeeper.createAsync(entry).thenApply(created -> true);
        }
        Entry newest = EntryMapping.newest(existing);
        CompletableFuture<Entry> written = cachekeeper.replaceAsync(newest.id(), entry, OptionalLong.empty())
                .exceptionallyCompose(failure -> EntryMapping.lostRace(failure)
                        ? cachekeeper.createAsync(entry) // deleted or purged since the lookup: store afresh
                        : CompletableFuture.<Entry>failedFuture(failure));
        for (Entry older : existing.subList(0, existing.size() - 1)) {
            written = written.thenCompose(done -> cachekeeper.deleteAsync(older.id(), OptionalLong.of(older.version())));
        }
        return written.thenApply(done -> true);
    }

    @Override
    protected Cancellable restore(String storageKey, FutureCallback<byte[]> callback) {
        return complete(forUpdate(storageKey).thenApply(found -> found == null ? null : found.bytes()), callback,
                "read", storageKey);
    }

    @Override
    protected Cancellable getForUpdateCAS(String storageKey, FutureCallback<CachekeeperCacheStorage.Versioned> callback) {
        return complete(forUpdate(storageKey), callback, "read", storageKey);
    }

    @Override
    protected byte[] getStorageObject(CachekeeperCacheStorage.Versioned cas) {
        return cas.bytes();
    }

    @Override
    protected Cancellable updateCAS(String storageKey, CachekeeperCacheStorage.Versioned cas, byte[] bytes,
            FutureCallback<Boolean> callback) {
        CompletableFuture<Boolean> updated = entryFor(storageKey, bytes)
                .thenCompose(entry -> cachekeeper.replaceAsync(cas.entry().id(), entry, OptionalLong.of(cas.entry().version())))
                .thenApply(replaced -> true)
                .exceptionally(failure -> {
                    if (EntryMapping.lostRace(failure)) {
                        return false; // HttpClient reads again and retries
                    }
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                });
        return complete(updated, callback, "update", storageKey);
    }

    @Override
    protected Cancellable delete(String storageKey, FutureCallback<Boolean> callback) {
        return complete(cachekeeper.deleteByKeyAsync(storageKey).thenApply(n -> true), callback, "delete", storageKey);
    }

    @Override
    protected Cancellable bulkRestore(Collection<String> storageKeys, FutureCallback<Map<String, byte[]>> callback) {
        Map<String, CompletableFuture<CachekeeperCacheStorage.Versioned>> reads = new HashMap<>();
        storageKeys.forEach(key -> reads.put(key, forUpdate(key)));
        CompletableFuture<Map<String, byte[]>> all = CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    Map<String, byte[]> found = new HashMap<>();
                    reads.forEach((key, read) -> {
                        CachekeeperCacheStorage.Versioned v = read.join();
                        if (v != null) {
                            found.put(key, v.bytes());
                        }
                    });
                    return found;
                });
        return complete(all, callback, "read", String.join(", ", new ArrayList<>(storageKeys)));
    }

    private CompletableFuture<NewEntry> entryFor(String storageKey, byte[] bytes) {
        return mapping.entryToWrite(cachekeeper, storageKey, bytes);
    }

    private CompletableFuture<List<Entry>> live(String storageKey, boolean withBodies) {
        return cachekeeper.findByKeyAsync(EntryMapping.live(storageKey, withBodies)).thenApply(page -> page.entries());
    }

    private CompletableFuture<CachekeeperCacheStorage.Versioned> forUpdate(String storageKey) {
        return live(storageKey, true).thenCompose(entries -> entries.isEmpty() ? CompletableFuture.completedFuture(null)
                : EntryMapping.versioned(cachekeeper, EntryMapping.newest(entries)));
    }

    /** Completes HttpClient's callback from the call; cancelling it cancels the call. */
    private static <T> Cancellable complete(CompletableFuture<T> call, FutureCallback<T> callback, String what,
            String key) {
        call.whenComplete((value, failure) -> {
            if (failure == null) {
                callback.completed(value);
            } else if (CachekeeperClient.unwrap(failure) instanceof CancellationException) {
                callback.cancelled();
            } else {
                callback.failed(EntryMapping.unavailable(what, key, failure));
            }
        });
        return () -> call.cancel(true);
    }
}
