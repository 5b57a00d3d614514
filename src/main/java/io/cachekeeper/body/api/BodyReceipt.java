package io.cachekeeper.body.api;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer to an upload: the body's id, for {@code response.bodyId} of the entry that takes it. */
@RegisterForReflection
public record BodyReceipt(
        @Schema(description = "give it as response.bodyId of POST or PUT /entries") UUID id,
        @Schema(description = "the cache key it was uploaded under: only an entry of this key may take it") String cacheKey,
        @Schema(description = "bytes received") long size) {
}
