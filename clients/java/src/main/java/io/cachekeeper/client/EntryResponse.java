package io.cachekeeper.client;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The cached response: status, headers (name → values) and body (null when a lookup left bodies out). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntryResponse(int status, Map<String, List<String>> headers, byte[] body) {

    public EntryResponse {
        headers = headers == null ? Map.of() : headers;
    }
}
