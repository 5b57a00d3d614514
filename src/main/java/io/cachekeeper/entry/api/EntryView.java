package io.cachekeeper.entry.api;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.cachekeeper.entry.EntryContent;
import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An entry as the API shows it. {@code state} and {@code purgeAfter} come from the database clock; the
 * JSON parts (headers, metadata) are the stored JSON text, written out as is (no parse, no rebuild).
 */
@RegisterForReflection
public record EntryView(
        UUID id,
        String cacheKey,
        Request request,
        Response response,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "any JSON object") String metadata,
        @Schema(nullable = true, description = "null: never expires") Long ttlSeconds,
        Instant createdAt,
        @Schema(nullable = true, description = "null: never expires") Instant expiresAt,
        @Schema(nullable = true, description = "null: not soft-deleted") Instant deletedAt,
        @Schema(nullable = true, description = "when the purge may remove it; null: live and never expiring") Instant purgeAfter,
        EntryState state,
        @Schema(description = "changes with every write; sent as the ETag") long version,
        @Schema(description = "the entry's tags, for DELETE /entries?tag= (empty when none)") java.util.List<String> tags) {

    /** The cached request: method, URL and headers (name → values). */
    @RegisterForReflection
    public record Request(String method, String url,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "header name → array of values") String headers) {
    }

    /**
     * The cached response; {@code body} is base64, left out when the lookup asked for no bodies. A body uploaded
     * as bytes never travels in JSON: {@code body} is left out and {@code bodySize} says how large it is
     * ({@code GET /entries/{id}/body} reads it).
     */
    @RegisterForReflection
    public record Response(int status,
            @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "header name → array of values") String headers,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = SchemaType.STRING, format = "byte", description = "base64; absent for a body uploaded as bytes, or when bodies were left out") byte[] body,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "only for a body uploaded as bytes (POST /bodies): its size; GET /entries/{id}/body reads it") Long bodySize) {
    }

    public static EntryView of(EntryRow r) {
        EntryContent c = r.content();
        return new EntryView(c.id(), c.cacheKey(),
                new Request(c.requestMethod(), c.requestUrl(), c.requestHeadersJson()),
                new Response(c.responseStatus(), c.responseHeadersJson(), c.streamed() ? null : c.body(), c.bodySize()),
                c.metadataJson(), c.ttlSeconds(), instant(r.createdAt()), instant(r.expiresAt()),
                instant(r.deletedAt()), instant(r.purgeAfter()), r.state(), r.version(), c.tags());
    }

    private static Instant instant(java.time.OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
