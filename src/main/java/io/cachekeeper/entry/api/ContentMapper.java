package io.cachekeeper.entry.api;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.entry.EntryContent;
import io.cachekeeper.entry.Tags;

/** Turns a checked {@link EntryInput} into what the store writes, serialising its JSON parts once. */
@ApplicationScoped
public class ContentMapper {

    private final ObjectMapper json;
    private final InputChecks checks;
    private final CachekeeperConfig.Tags tags;

    public ContentMapper(ObjectMapper json, InputChecks checks, CachekeeperConfig config) {
        this.json = json;
        this.checks = checks;
        this.tags = config.tags();
    }

    public EntryContent toContent(EntryInput input) {
        EntryInput in = checks.check(input);
        return in.content(this::write, tagsOf(in));
    }

    /** The input's tags, or without any, those its response's headers name. */
    private List<String> tagsOf(EntryInput in) {
        return in.tags() != null ? Tags.checked("tags", in.tags(), tags.maxPerEntry())
                : Tags.fromHeaders(in.response().headers(), tags.fromHeaders(), tags.maxPerEntry());
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
