package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.http.TextRules;
import io.cachekeeper.problem.ProblemException;

/**
 * Checks that bean validation cannot express: the body size limit and the text rules of
 * {@link TextRules} (the key, method and URL are plain names, every other string storable). Runs before
 * any database work, so bad input changes nothing.
 */
@ApplicationScoped
public class InputChecks {

    private final CachekeeperConfig config;

    public InputChecks(CachekeeperConfig config) {
        this.config = config;
    }

    public EntryInput check(EntryInput in) {
        long max = config.maxBodySize().asLongValue();
        if (in.response().body().length > max) {
            throw ProblemException.tooLarge("response.body", in.response().body().length
                    + " bytes exceed cachekeeper.max-body-size (" + max + " bytes)");
        }
        if (in.response().bodyId() != null && in.response().body().length > 0) {
            throw ProblemException.badRequest("response.bodyId", "give body or bodyId, not both");
        }
        if (in.response().keepsBody() && (in.response().bodyId() != null || in.response().body().length > 0)) {
            throw ProblemException.badRequest("response.keepBody", "keep the stored body, or send body or bodyId: not both");
        }
        if (Boolean.TRUE.equals(in.neverExpires()) && in.ttlSeconds() != null) {
            throw ProblemException.badRequest("neverExpires", "give ttlSeconds or neverExpires, not both");
        }
        longest("cacheKey", in.cacheKey(), TextRules.MAX_TEXT);
        longest("request.method", in.request().method(), RequestPart.MAX_METHOD);
        longest("request.url", in.request().url(), TextRules.MAX_TEXT);
        plain("cacheKey", in.cacheKey());
        plain("request.method", in.request().method());
        plain("request.url", in.request().url());
        storable("request.headers", in.request().headers());
        storable("response.headers", in.response().headers());
        storable("metadata", in.metadata());
        return in;
    }

    /** At most {@code max} characters, counted as the document's maxLength counts them ({@link TextRules#length}). */
    private static void longest(String field, String value, int max) {
        if (TextRules.length(value) > max) {
            throw ProblemException.badRequest(field, "at most " + max + " characters");
        }
    }

    private static void plain(String field, String value) {
        String problem = TextRules.notPlain(value);
        if (problem != null) {
            throw ProblemException.badRequest(field, problem);
        }
    }

    private static void storable(String field, Object value) {
        if (value instanceof String s) {
            String problem = TextRules.unstorable(s);
            if (problem != null) {
                throw ProblemException.badRequest(field, problem);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                storable(field, k);
                storable(field + "." + k, v);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                storable(field + "[" + i + "]", list.get(i));
            }
        }
    }
}
