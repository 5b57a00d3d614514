package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The cached request, in and out: method, URL and headers (name → values). */
@RegisterForReflection
public record RequestPart(
        @NotBlank String method,
        @NotBlank String url,
        Map<@NotBlank String, @NotNull List<@NotNull String>> headers) {

    /** The longest method, in characters ({@link InputChecks}). */
    public static final int MAX_METHOD = 32;

    public RequestPart {
        headers = headers == null ? Map.of() : headers;
    }
}
