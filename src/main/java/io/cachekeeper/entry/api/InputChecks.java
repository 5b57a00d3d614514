package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks that bean validation cannot express: the body size limit and strings PostgreSQL refuses
 * to store (a NUL character fails in {@code text} and {@code jsonb}). Runs before any database work,
 * so bad input changes nothing.
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
            throw new ProblemException(413, "response.body: " + in.response().body().length
                    + " bytes exceed cachekeeper.max-body-size (" + max + " bytes)", "response.body");
        }
        noNul("cacheKey", in.cacheKey());
        noNul("request.method", in.request().method());
        noNul("request.url", in.request().url());
        noNul("request.headers", in.request().headers());
        noNul("response.headers", in.response().headers());
        noNul("metadata", in.metadata());
        return in;
    }

    private static void noNul(String field, Object value) {
        if (value instanceof String s) {
            if (s.indexOf('\0') >= 0) {
                throw ProblemException.badRequest(field, "must not contain NUL characters");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                noNul(field, k);
                noNul(field + "." + k, v);
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                noNul(field + "[" + i + "]", list.get(i));
            }
        }
    }
}
