package io.cachekeeper.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The entries API through the client, against the real service. */
class CachekeeperClientTest {

    private final CachekeeperClient writer = CachekeeperService.get().client("writer");

    private static NewEntry entry(String key, String url, String body) {
        return new NewEntry(null, key, new EntryRequest("GET", url, Map.of("accept", List.of("text/html"))),
                new EntryResponse(200, Map.of("content-type", List.of("text/html")), body.getBytes(StandardCharsets.UTF_8)),
                Map.of("hits", 1), 3600L);
    }

    @Test
    void storeReadReplaceDeleteRestore() throws Exception {
        String key = "client-" + UUID.randomUUID();
        Entry created = writer.create(entry(key, "https://example.com/client", "one"));
        assertEquals("live", created.state());
        assertEquals(1, created.version());
        assertArrayEquals("one".getBytes(StandardCharsets.UTF_8), writer.get(created.id()).orElseThrow().response().body());

        Entry replaced = writer.replace(created.id(), entry(key, "https://example.com/client", "two"), OptionalLong.of(1));
        assertEquals(2, replaced.version());
        CachekeeperProblem stale = assertThrows(CachekeeperProblem.class,
                () -> writer.replace(created.id(), entry(key, "https://example.com/client", "three"), OptionalLong.of(1)));
        assertEquals(412, stale.status());

        Entry deleted = writer.delete(created.id(), OptionalLong.empty());
        assertEquals("deleted", deleted.state());
        assertTrue(writer.findByKey(key).isEmpty(), "a deleted entry is not listed");
        assertEquals(1, writer.findByKey(KeyLookup.of(key).includeDeleted(true)).entries().size());
        assertEquals("live", writer.restore(created.id(), OptionalLong.empty()).state());
        assertEquals(1, writer.deleteByKey(key));

        assertFalse(writer.get(UUID.randomUUID()).isPresent(), "an unknown id is empty, not an error");
    }

    @Test
    void aLargeBodyTravelsAsBytesBothWaysAndReadsInRanges() throws Exception {
        String key = "bytes-" + UUID.randomUUID();
        int size = 12 * 1024 * 1024 + 7; // over the JSON API's 10 MiB max-body-size
        UUID body = writer.uploadBody(key, new java.io.InputStream() {
            private int sent;

            @Override
            public int read() {
                return sent < size ? pattern(sent++) : -1;
            }
        });
        Entry created = writer.create(new NewEntry(null, key, new EntryRequest("GET", "https://example.com/big", Map.of()),
                EntryResponse.uploaded(200, Map.of("content-type", List.of("video/mp4")), body), Map.of(), 3600L));
        assertEquals((long) size, created.response().bodySize());
        assertNull(writer.get(created.id()).orElseThrow().response().body(), "never in the JSON");
        try (BodyStream in = writer.readBody(created.id())) {
            assertEquals(size, in.length());
            assertEquals(1, in.version());
            for (int i = 0; i < size; i++) {
                int b = in.read();
                if (b != pattern(i)) {
                    throw new AssertionError("byte " + i + " is " + b + ", not " + pattern(i));
                }
            }
            assertEquals(-1, in.read());
        }
        try (BodyStream in = writer.readBody(created.id(), 5_000_000, 5_000_009)) {
            byte[] ten = in.readAllBytes();
            assertEquals(10, ten.length);
            for (int i = 0; i < 10; i++) {
                assertEquals(pattern(5_000_000 + i), ten[i] & 0xff);
            }
        }
        assertEquals(404, assertThrows(CachekeeperProblem.class, () -> writer.readBody(UUID.randomUUID())).status());
    }

    private static int pattern(int i) {
        return (i * 31 + (i >>> 8)) & 0xff;
    }

    @Test
    void pagesFollowTheCursorAndBodiesCanBeLeftOut() throws Exception {
        String key = "paged-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            writer.create(entry(key, "https://example.com/paged/" + i, "body " + i));
        }
        List<String> urls = new ArrayList<>();
        KeyLookup lookup = KeyLookup.of(key).limit(2).includeBody(false);
        Page page;
        do {
            page = writer.findByKey(lookup);
            page.entries().forEach(e -> {
                urls.add(e.request().url());
                assertNull(e.response().body());
            });
            lookup = lookup.after(page.next().orElse(null));
        } while (page.next().isPresent());
        assertEquals(List.of("https://example.com/paged/0", "https://example.com/paged/1", "https://example.com/paged/2",
                "https://example.com/paged/3", "https://example.com/paged/4"), urls);
        assertEquals(5, writer.deleteByUrlPrefix("https://example.com/paged/"));
    }

    @Test
    void entriesTaggedByTheirResponseHeadersAreInvalidatedByTag() throws Exception {
        String tag = "product-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            writer.create(new NewEntry(null, "tagged-" + tag + "-" + i, new EntryRequest("GET", "https://example.com/t/" + i, null),
                    new EntryResponse(200, Map.of("Surrogate-Key", List.of(tag + " shop")), new byte[0]), null, 3600L));
        }
        Entry other = writer.create(entry("untagged-" + tag, "https://example.com/t/other", "x"));
        assertEquals(List.of(tag, "shop"), writer.findByKey("tagged-" + tag + "-0").get(0).tags());
        assertEquals(3, writer.deleteByTags(tag, "no-such-tag"));
        assertTrue(writer.findByKey("tagged-" + tag + "-1").isEmpty(), "invalidated");
        assertEquals(1, writer.findByKey(other.cacheKey()).size(), "untagged entries stay");
        assertThrows(IllegalArgumentException.class, () -> writer.deleteByTags());
    }

    @Test
    void problemsCarryStatusDetailAndField() throws Exception {
        CachekeeperProblem invalid = assertThrows(CachekeeperProblem.class,
                () -> writer.create(new NewEntry(null, " ", new EntryRequest("GET", "https://example.com/", null),
                        new EntryResponse(200, null, new byte[0]), null, null)));
        assertEquals(400, invalid.status());
        assertEquals("cacheKey", invalid.field());

        CachekeeperProblem forbidden = assertThrows(CachekeeperProblem.class,
                () -> CachekeeperService.get().client("reader").deleteByKey("anything"));
        assertEquals(403, forbidden.status());

        CachekeeperProblem wrongPassword = assertThrows(CachekeeperProblem.class,
                () -> CachekeeperClient.builder(CachekeeperService.get().uri()).credentials("writer", "wrong").build()
                        .findByKey("anything"));
        assertEquals(401, wrongPassword.status());
    }
}
