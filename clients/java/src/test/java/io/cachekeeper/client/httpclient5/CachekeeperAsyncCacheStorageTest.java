package io.cachekeeper.client.httpclient5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.CachekeeperService;
import io.cachekeeper.client.Entry;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.cache.HttpCacheContext;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.cache.CacheConfig;
import org.apache.hc.client5.http.impl.cache.CachingHttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;

/** {@link CachekeeperAsyncCacheStorage} under {@code CachingHttpAsyncClients}, against the real service. */
class CachekeeperAsyncCacheStorageTest extends OriginAndService {


    record Result(int status, String cacheStatus, String body) {
    }

    private static Result get(CachekeeperClient cachekeeper, String url) throws Exception {
        try (CloseableHttpAsyncClient http = CachingHttpAsyncClients.custom()
                .setCacheConfig(CacheConfig.custom().setSharedCache(true).build())
                .setHttpCacheStorage(new CachekeeperAsyncCacheStorage(cachekeeper))
                .build()) {
            http.start();
            HttpCacheContext context = HttpCacheContext.create();
            SimpleHttpResponse response = http.execute(SimpleRequestBuilder.get(url).build(), context, null)
                    .get(30, TimeUnit.SECONDS);
            return new Result(response.getCode(), String.valueOf(context.getCacheResponseStatus()), response.getBodyText());
        }
    }

    @Test
    void anAsyncClientSharesEntriesWithOtherAsyncAndBlockingClients() throws Exception {
        String path = "/fresh/async";
        assertEquals(new Result(200, "CACHE_MISS", "fresh " + path), get(service.client("writer"), origin.url(path)));
        assertEquals(new Result(200, "CACHE_HIT", "fresh " + path), get(service.client("writer"), origin.url(path)));
        // The blocking storage reads what the asynchronous one wrote: same keys, same entries.
        try (CloseableHttpClient blocking = Fetch.cachingClient(service.client("writer"))) {
            assertEquals("CACHE_HIT", Fetch.get(blocking, origin.url(path), null).cacheStatus());
        }
        assertEquals(1, origin.hits(path));
    }

    @Test
    void anAsyncRevalidationUpdatesTheStoredEntry() throws Exception {
        String path = "/validate/async";
        assertEquals("CACHE_MISS", get(service.client("writer"), origin.url(path)).cacheStatus());
        CachekeeperCacheStorage storage = new CachekeeperCacheStorage(service.client("reader"));
        Entry stored = storage.entryOf(origin.url(path)).orElseThrow();

        Result revalidated = get(service.client("writer"), origin.url(path));
        assertEquals("VALIDATED", revalidated.cacheStatus());
        assertEquals("validated " + path, revalidated.body());
        Entry updated = storage.entryOf(origin.url(path)).orElseThrow();
        assertEquals(stored.id(), updated.id());
        assertTrue(updated.version() > stored.version(), "a new version after the 304");
        assertEquals(List.of("yes"), updated.response().headers().get("x-validated"));
        assertEquals("CACHE_HIT", get(service.client("writer"), origin.url(path)).cacheStatus());
        assertEquals(2, origin.hits(path));
    }

    @Test
    void theServiceBeingDownIsACacheMissNotAnError() throws Exception {
        String path = "/fresh/async-down";
        CachekeeperClient down = CachekeeperClient.builder(URI.create("http://localhost:" + CachekeeperService.freePort()))
                .credentials("writer", CachekeeperService.PASSWORD).connectTimeout(Duration.ofMillis(500)).build();
        for (int i = 1; i <= 2; i++) {
            Result result = get(down, origin.url(path));
            assertEquals(200, result.status());
            assertEquals("fresh " + path, result.body());
            assertEquals(i, origin.hits(path));
        }
    }
}
