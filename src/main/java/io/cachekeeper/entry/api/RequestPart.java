package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The cached request, in and out: method, URL and headers (name → values). */
@RegisterForReflection
public record RequestPart(
        @NotBlank @Size(max = 32) String method,
        @NotBlank @Size(max = EntryInput.MAX_TEXT) String url,
        Map<@NotBlank String, @NotNull List<@NotNull String>> headers) {

    public RequestPart {
        headers = headers == null ? Map.of() : headers;
    }
}
