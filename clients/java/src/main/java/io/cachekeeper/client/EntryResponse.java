package io.cachekeeper.client;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The cached response: status, headers (name → values) and body (null when a lookup left bodies out). A
 * large body travels as bytes instead: to store one, upload it ({@link CachekeeperClient#uploadBody}) and send
 * its id as {@code bodyId}; an entry read back then has {@code bodySize} and no {@code body}, and
 * {@link CachekeeperClient#readBody} streams it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EntryResponse(int status, Map<String, List<String>> headers, byte[] body, UUID bodyId, Long bodySize) {

    public EntryResponse {
        headers = headers == null ? Map.of() : headers;
    }

    /** A response whose body travels in the entry's JSON. */
    public EntryResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, null, null);
    }

    /** A response whose body was uploaded as bytes: {@code bodyId} from {@link CachekeeperClient#uploadBody}. */
    public static EntryResponse uploaded(int status, Map<String, List<String>> headers, UUID bodyId) {
        return new EntryResponse(status, headers, null, bodyId, null);
    }

    /** Whether the body is one uploaded as bytes, read with {@link CachekeeperClient#readBody}. */
    public boolean streamed() {
        return bodySize != null;
    }
}
