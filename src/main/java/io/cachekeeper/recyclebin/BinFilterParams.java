package io.cachekeeper.recyclebin;

import java.util.List;

import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestQuery;

/** The recycle bin's filters as query parameters, shared by browsing and restoring. */
public class BinFilterParams {

    private static final String TIME = "an ISO-8601 time with an offset (exclusive bound)";

    @Parameter(description = "only entries under this cache key")
    @RestQuery("key")
    String key;

    @Parameter(description = "only entries whose request URL starts with this, literally")
    @RestQuery("urlPrefix")
    String urlPrefix;

    @Parameter(description = "only entries carrying this tag (repeatable: any of them; exact, case-sensitive)")
    @RestQuery("tag")
    List<String> tags;

    @Parameter(description = "deleted after " + TIME)
    @RestQuery("deletedAfter")
    String deletedAfter;

    @Parameter(description = "deleted before " + TIME)
    @RestQuery("deletedBefore")
    String deletedBefore;

    @Parameter(description = "created after " + TIME)
    @RestQuery("createdAfter")
    String createdAfter;

    @Parameter(description = "created before " + TIME)
    @RestQuery("createdBefore")
    String createdBefore;

    /** The filter (an empty or repeated value never gets here: {@code io.cachekeeper.http.StrictQuery}). */
    BinFilter toFilter(List<String> states) {
        return BinFilter.parse(states, key, urlPrefix, tags, deletedAfter, deletedBefore, createdAfter, createdBefore);
    }

    /** Carries the filters into a next-page link as they were given. */
    void addTo(UriBuilder next) {
        query(next, "key", key);
        query(next, "urlPrefix", urlPrefix);
        if (tags != null) {
            tags.forEach(t -> next.queryParam("tag", t));
        }
        query(next, "deletedAfter", deletedAfter);
        query(next, "deletedBefore", deletedBefore);
        query(next, "createdAfter", createdAfter);
        query(next, "createdBefore", createdBefore);
    }

    private static void query(UriBuilder uri, String name, String value) {
        if (value != null) {
            uri.queryParam(name, value);
        }
    }
}
