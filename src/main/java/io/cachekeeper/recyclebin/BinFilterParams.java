package io.cachekeeper.recyclebin;

import java.util.List;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;

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

    /** The filter; a parameter present but empty ({@code ?urlPrefix=}) is refused, not taken as absent. */
    BinFilter toFilter(List<String> states, UriInfo uri) {
        MultivaluedMap<String, String> given = uri.getQueryParameters();
        return BinFilter.parse(states, present(given, "key", key), present(given, "urlPrefix", urlPrefix),
                present(given, "deletedAfter", deletedAfter), present(given, "deletedBefore", deletedBefore),
                present(given, "createdAfter", createdAfter), present(given, "createdBefore", createdBefore));
    }

    /** Carries the filters into a next-page link as they were given. */
    void addTo(UriBuilder next) {
        query(next, "key", key);
        query(next, "urlPrefix", urlPrefix);
        query(next, "deletedAfter", deletedAfter);
        query(next, "deletedBefore", deletedBefore);
        query(next, "createdAfter", createdAfter);
        query(next, "createdBefore", createdBefore);
    }

    private static String present(MultivaluedMap<String, String> given, String name, String value) {
        return value == null && given.containsKey(name) ? "" : value;
    }

    private static void query(UriBuilder uri, String name, String value) {
        if (value != null) {
            uri.queryParam(name, value);
        }
    }
}
