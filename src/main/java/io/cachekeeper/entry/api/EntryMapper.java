package io.cachekeeper.entry.api;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cachekeeper.entry.CacheEntry;
import io.cachekeeper.entry.Lifecycle;
import io.cachekeeper.entry.Observed;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps between the API's JSON types and the {@link CacheEntry} entity. */
@ApplicationScoped
public class EntryMapper {

    private final Lifecycle lifecycle;

    public EntryMapper(Lifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    /** An unmanaged entity carrying the input's fields; the service sets the server fields. */
    public CacheEntry toDraft(EntryInput in) {
        CacheEntry e = new CacheEntry();
        e.id = in.id();
        e.cacheKey = in.cacheKey();
        e.requestMethod = in.request().method();
        e.requestUrl = in.request().url();
        e.requestHeaders = copy(in.request().headers());
        e.responseStatus = in.response().status();
        e.responseHeaders = copy(in.response().headers());
        e.responseBody = in.response().body();
        e.metadata = new LinkedHashMap<>(in.metadata());
        e.ttlSeconds = in.ttlSeconds();
        return e;
    }

    public EntryView toView(Observed observed) {
        CacheEntry e = observed.entry();
        return new EntryView(
                e.id,
                e.cacheKey,
                new RequestPart(e.requestMethod, e.requestUrl, e.requestHeaders),
                new ResponsePart(e.responseStatus, e.responseHeaders, e.responseBody),
                e.metadata,
                e.ttlSeconds,
                instant(e.createdAt),
                instant(e.expiresAt),
                instant(e.deletedAt),
                instant(lifecycle.purgeAfter(e)),
                lifecycle.stateAt(e, observed.now()));
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> headers) {
        return new LinkedHashMap<>(headers);
    }

    private static java.time.Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
