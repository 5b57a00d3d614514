package io.cachekeeper.client;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The cached request: method, URL, headers (name → values). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntryRequest(String method, String url, Map<String, List<String>> headers) {

    public EntryRequest {
        headers = headers == null ? Map.of() : headers;
    }
}
