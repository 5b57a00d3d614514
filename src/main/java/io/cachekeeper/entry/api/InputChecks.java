package io.cachekeeper.entry.api;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.ProblemException;

/**
 * Checks that bean validation cannot express: the body size limit and strings PostgreSQL cannot store
 * as given: a NUL character fails in {@code text} and {@code jsonb}, and a lone UTF-16 surrogate (JSON
 * lets {@code "\ud800"} through) is not Unicode text at all: encoded to UTF-8 it would become {@code ?},
 * and two different keys one. Runs before any database work, so bad input changes nothing.
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
        storable("cacheKey", in.cacheKey());
        storable("request.method", in.request().method());
        storable("request.url", in.request().url());
        storable("request.headers", in.request().headers());
        storable("response.headers", in.response().headers());
        storable("metadata", in.metadata());
        return in;
    }

    private static void storable(String field, Object value) {
        if (value instanceof String s) {
            if (s.indexOf('\0') >= 0) {
                throw ProblemException.badRequest(field, "must not contain NUL characters");
            }
            if (hasLoneSurrogate(s)) {
                throw ProblemException.badRequest(field, "must not contain a lone UTF-16 surrogate (not Unicode text)");
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

    /** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
