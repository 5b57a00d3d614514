package io.cachekeeper.client.httpclient5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.cachekeeper.client.CachekeeperClient;
import io.cachekeeper.client.CachekeeperService;
import io.cachekeeper.client.Entry;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.Test;

/**
 * HttpClient 5's cache on cachekeeper, against the real service (packaged jar, embedded PostgreSQL)
 * and a local origin that counts its hits. Each test uses paths of its own.
 */
class CachekeeperCacheStorageTest extends OriginAndService {


    @Test
    void aResponseCachedByOneProcessIsServedToAnotherWithoutReachingTheOrigin() throws Exception {
        String url = origin.url("/fresh/shared");
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result first = Fetch.get(http, url, null);
            assertEquals(200, first.status());
            assertEquals("CACHE_MISS", first.cacheStatus());
        }
        assertEquals(1, origin.hits("/fresh/shared"));

        // Another JVM, another caching client, the same cachekeeper.
        String line = runInOtherProcess(url);
        assertEquals("200\tCACHE_HIT\tfresh /fresh/shared", line);
        assertEquals(1, origin.hits("/fresh/shared"), "the second process did not reach the origin");
    }

    @Test
    void aLargeResponseIsStoredAsBytesAndServedBackWhole() throws Exception {
        String path = "/large/one";
        String first;
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result miss = Fetch.get(http, origin.url(path), null);
            assertEquals("CACHE_MISS", miss.cacheStatus());
            first = miss.body();
        }
        Entry stored = new CachekeeperCacheStorage(service.client("writer")).entryOf(origin.url(path)).orElseThrow();
        assertTrue(stored.response().streamed(), "uploaded as bytes");
        assertTrue(stored.response().bodySize() > 850_000, "the whole serialised entry: " + stored.response().bodySize());
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result hit = Fetch.get(http, origin.url(path), null);
            assertEquals("CACHE_HIT", hit.cacheStatus());
            assertEquals(first, hit.body());
        }
        assertEquals(1, origin.hits(path));
    }

    @Test
    void aRevalidationUpdatesTheStoredEntry() throws Exception {
        String path = "/validate/one";
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            assertEquals("CACHE_MISS", Fetch.get(http, origin.url(path), null).cacheStatus());
        }
        CachekeeperCacheStorage storage = new CachekeeperCacheStorage(service.client("writer"));
        Entry stored = storage.entryOf(origin.url(path)).orElseThrow();
        assertEquals(List.of("public, max-age=0"), stored.response().headers().get("cache-control"));

        // Stale at once: the next client revalidates; the origin answers 304 with a new max-age.
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result revalidated = Fetch.get(http, origin.url(path), null);
            assertEquals(200, revalidated.status());
            assertEquals("VALIDATED", revalidated.cacheStatus());
            assertEquals("validated " + path, revalidated.body());
        }
        assertEquals(1, origin.notModified());
        Entry updated = storage.entryOf(origin.url(path)).orElseThrow();
        assertEquals(stored.id(), updated.id(), "the same entry, updated in place");
        assertTrue(updated.version() > stored.version(), "a new version after the 304");
        assertEquals(List.of("public, max-age=60"), updated.response().headers().get("cache-control"));
        assertEquals(List.of("yes"), updated.response().headers().get("x-validated"));

        // Fresh again for everyone: a third client is served from cachekeeper alone.
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            assertEquals("CACHE_HIT", Fetch.get(http, origin.url(path), null).cacheStatus());
        }
        assertEquals(2, origin.hits(path));
    }

    @Test
    void varyVariantsAreKeptApart() throws Exception {
        String path = "/vary/greeting";
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            assertEquals("hello " + path, Fetch.get(http, origin.url(path), "en").body());
            assertEquals("hallo " + path, Fetch.get(http, origin.url(path), "de").body());
        }
        assertEquals(2, origin.hits(path));

        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result german = Fetch.get(http, origin.url(path), "de");
            Fetch.Result english = Fetch.get(http, origin.url(path), "en");
            assertEquals("hallo " + path, german.body());
            assertEquals("CACHE_HIT", german.cacheStatus());
            assertEquals("hello " + path, english.body());
            assertEquals("CACHE_HIT", english.cacheStatus());
        }
        assertEquals(2, origin.hits(path), "both variants came from cachekeeper");
        // The root entry lists the variants; each variant is an entry of its own, with the header it varies on.
        CachekeeperCacheStorage storage = new CachekeeperCacheStorage(service.client("reader"));
        Entry root = storage.entryOf(origin.url(path)).orElseThrow();
        @SuppressWarnings("unchecked")
        List<String> variants = (List<String>) root.metadata().get("variants");
        assertEquals(2, variants.size(), root.metadata().toString());
        for (String variant : variants) {
            Entry entry = storage.entryOf(variant + origin.url(path)).orElseThrow();
            assertEquals(1, entry.request().headers().get("accept-language").size(), entry.request().toString());
        }
    }

    @Test
    void anEntrySoftDeletedThroughTheAdminApiIsNoLongerServed() throws Exception {
        String path = "/fresh/invalidated";
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.get(http, origin.url(path), null);
            assertEquals("CACHE_HIT", Fetch.get(http, origin.url(path), null).cacheStatus());
        }
        assertEquals(1, origin.hits(path));

        CachekeeperClient admin = service.client("admin");
        assertEquals(1, admin.deleteByUrlPrefix(origin.url(path)));

        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.Result after = Fetch.get(http, origin.url(path), null);
            assertEquals("CACHE_MISS", after.cacheStatus());
            assertEquals("fresh " + path, after.body());
        }
        assertEquals(2, origin.hits(path), "the invalidated entry was not served");
    }

    @Test
    void afterAnUnsafeRequestTheInvalidatedResponseIsNeverServed() throws Exception {
        List<String> stale = new java.util.ArrayList<>();
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            for (int i = 0; i < 100; i++) {
                String path = "/fresh/unsafe-" + i;
                Fetch.get(http, origin.url(path), null);
                http.execute(new org.apache.hc.client5.http.classic.methods.HttpPost(origin.url(path)), response -> {
                    assertEquals(200, response.getCode());
                    return null;
                });
                Fetch.Result after = Fetch.get(http, origin.url(path), null);
                if (!"CACHE_MISS".equals(after.cacheStatus()) || origin.hits(path) != 3) {
                    stale.add(path + ": " + after.cacheStatus());
                }
            }
        }
        assertEquals(List.of(), stale, "GET, POST, GET: served what the POST invalidated");
    }

    @Test
    void theServiceBeingDownIsACacheMissNotAnError() throws Exception {
        String path = "/fresh/down";
        int nothingListens = CachekeeperService.freePort();
        CachekeeperClient down = CachekeeperClient.builder(URI.create("http://localhost:" + nothingListens))
                .credentials("writer", CachekeeperService.PASSWORD).connectTimeout(Duration.ofMillis(500)).build();
        try (CloseableHttpClient http = Fetch.cachingClient(down)) {
            for (int i = 1; i <= 2; i++) {
                Fetch.Result result = Fetch.get(http, origin.url(path), null);
                assertEquals(200, result.status());
                assertEquals("fresh " + path, result.body());
                assertEquals(i, origin.hits(path));
            }
        }
    }

    @Test
    void aConcurrentWriteMakesACompareAndSetUpdateRetryNotLoseAWrite() throws Exception {
        String path = "/validate/contended";
        try (CloseableHttpClient http = Fetch.cachingClient(service.client("writer"))) {
            Fetch.get(http, origin.url(path), null);
        }
        CachekeeperCacheStorage storage = new CachekeeperCacheStorage(service.client("writer"));
        String key = origin.url(path);
        Entry before = storage.entryOf(key).orElseThrow();
        CachekeeperClient writer = service.client("writer");
        int[] calls = {0};
        // The first time the update runs, another writer bumps the version behind its back.
        storage.updateEntry(key, existing -> {
            if (calls[0]++ == 0) {
                try {
                    writer.refresh(before.id(), OptionalLong.empty());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return existing;
        });
        assertEquals(2, calls[0], "the update was tried again after the 412");
        Entry after = storage.entryOf(key).orElseThrow();
        assertEquals(before.version() + 2, after.version(), "the concurrent write and the retried update");
    }

    private static String runInOtherProcess(String url) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Fetch.class.getName(),
                service.uri().toString(), CachekeeperService.PASSWORD, url).redirectErrorStream(false);
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the other process finished");
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), err);
        return out.lines().reduce((a, b) -> b).orElse("");
    }
}
