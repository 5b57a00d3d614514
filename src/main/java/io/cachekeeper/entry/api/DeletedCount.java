package io.cachekeeper.entry.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The answer of a many-entry soft delete ({@code DELETE /entries?key=|urlPrefix=|tag=}): {@code {"deleted": n}}. */
@RegisterForReflection
public record DeletedCount(@Schema(required = true, description = "how many live entries were soft-deleted") long deleted) {
}
