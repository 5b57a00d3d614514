package io.cachekeeper.entry.api;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.entry.EntryContent;

/** Turns a checked {@link EntryInput} into what the store writes, serialising its JSON parts once. */
@ApplicationScoped
public class ContentMapper {

    private final ObjectMapper json;
    private final InputChecks checks;

    public ContentMapper(ObjectMapper json, InputChecks checks) {
        this.json = json;
        this.checks = checks;
    }

    public EntryContent toContent(EntryInput input) {
        EntryInput in = checks.check(input);
        return new EntryContent(in.id(), in.cacheKey(), in.request().method(), in.request().url(),
                write(in.request().headers()), in.response().status(), write(in.response().headers()),
                in.response().body(), write(in.metadata()), in.ttlSeconds());
    }

    /** For PUT: the body's id, if any, must be the path's. */
    public EntryContent toContent(UUID pathId, EntryInput input) {
        if (input.id() != null && !input.id().equals(pathId)) {
            throw io.cachekeeper.problem.ProblemException.badRequest("id", "does not match the id in the path");
        }
        return toContent(input);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialise", e);
        }
    }
}
