package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The cached response, in and out: status, headers and the body (base64 in JSON; absent = empty), or in place
 * of the body {@code bodyId}, a body uploaded as bytes ({@code POST /bodies}), or on a replace {@code keepBody}:
 * the body the entry has.
 */
@RegisterForReflection
public record ResponsePart(
        @NotNull @Min(100) @Max(599) Integer status,
        Map<@NotBlank String, @NotNull List<@NotNull String>> headers,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "byte", description = "base64; absent: empty") byte[] body,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "a body uploaded with POST /bodies under the entry's cacheKey, in place of body") UUID bodyId,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(description = "PUT only: keep the body the entry has (in the row or uploaded as bytes) instead of sending one; "
                + "the key stays as it is") Boolean keepBody) {

    public ResponsePart {
        headers = headers == null ? Map.of() : headers;
        body = body == null ? new byte[0] : body;
    }

    /** Whether a replace keeps the entry's stored body. */
    public boolean keepsBody() {
        return Boolean.TRUE.equals(keepBody);
    }
}
