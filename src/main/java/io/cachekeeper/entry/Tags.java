package io.cachekeeper.entry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.cachekeeper.http.TextRules;
import io.cachekeeper.problem.ProblemException;

/**
 * The rules of an entry's tags, written once for the body's {@code tags}, the tags taken from response
 * headers and the {@code tag} query parameter: each 1–{@value #MAX_LENGTH} characters of plain text
 * ({@link TextRules#notPlain}), matched exactly and case-sensitively; an entry's tags are distinct (the
 * first of two equal ones is kept, in order) and at most {@code cachekeeper.tags.max-per-entry}.
 */
public final class Tags {

    public static final int MAX_LENGTH = 256;
    /** The value of {@code cachekeeper.tags.from-headers} that takes no tags from headers. */
    public static final String NO_HEADERS = "none";

    private Tags() {
    }

    /** The tags as an entry stores them; a 400 naming {@code field} (or {@code field[i]}) when one breaks a rule. */
    public static List<String> checked(String field, List<String> tags, int max) {
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < tags.size(); i++) {
            distinct.add(one(field + "[" + i + "]", tags.get(i)));
        }
        if (distinct.size() > max) {
            throw ProblemException.badRequest(field, "at most " + max + " tags (cachekeeper.tags.max-per-entry), not "
                    + distinct.size());
        }
        return List.copyOf(distinct);
    }

    /** One tag, checked; {@code field} names it in the error. */
    public static String one(String field, String tag) {
        if (tag == null || tag.isEmpty() || io.cachekeeper.http.TextRules.length(tag) > MAX_LENGTH) {
            throw ProblemException.badRequest(field, "a tag is 1 to " + MAX_LENGTH + " characters");
        }
        String problem = TextRules.notPlain(tag);
        if (problem != null) {
            throw ProblemException.badRequest(field, problem);
        }
        return tag;
    }

    /** The {@code tag} query parameters of a call (none for null), each checked as a tag, repeats dropped. */
    public static List<String> query(List<String> tags) {
        return tags == null ? List.of() : tags.stream().map(t -> one("tag", t)).distinct().toList();
    }

    /**
     * The tags named by the response's headers {@code names} (case-insensitive header names), each value split
     * on commas and white space, checked as an entry's tags; the error names the header
     * ({@code response.headers.Surrogate-Key}).
     */
    public static List<String> fromHeaders(Map<String, List<String>> headers, List<String> names, int max) {
        if (names.size() == 1 && NO_HEADERS.equals(names.get(0))) {
            return List.of();
        }
        Set<String> wanted = new LinkedHashSet<>();
        names.forEach(n -> wanted.add(n.toLowerCase(Locale.ROOT)));
        List<String> tags = new ArrayList<>();
        String field = null;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (!wanted.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            field = field == null ? "response.headers." + header.getKey() : field;
            for (String value : header.getValue()) {
                for (String tag : value.split("[,\\s]+")) {
                    if (!tag.isEmpty()) {
                        tags.add(tag);
                    }
                }
            }
        }
        return tags.isEmpty() ? List.of() : checked(field, tags, max);
    }
}
