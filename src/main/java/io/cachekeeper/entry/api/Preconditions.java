package io.cachekeeper.entry.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cachekeeper.problem.ProblemException;

/**
 * Entity tags: an entry's version is its strong ETag {@code "<version>"}. {@code If-Match} takes
 * {@code *} or a comma-separated list of entity tags (RFC 9110 §13.1.1); a weak tag ({@code W/"3"})
 * never matches, since If-Match compares strongly. Anything else is a 400 naming the header.
 */
public final class Preconditions {

    public static final String IF_MATCH = "If-Match";
    private static final Pattern TAG = Pattern.compile("(W/)?\"([^\"]*)\"");

    private Preconditions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The versions the header names; null when there is no condition (no header, or {@code *}). */
    public static Long[] ifMatch(String header) {
        if (header == null || header.trim().equals("*")) {
            return null;
        }
        List<Long> versions = new ArrayList<>();
        for (String part : header.split(",", -1)) {
            Matcher m = TAG.matcher(part.trim());
            if (!m.matches()) {
                throw malformed();
            }
            if (m.group(1) == null && m.group(2).matches("[0-9]{1,18}")) {
                versions.add(Long.parseLong(m.group(2)));
            }
        }
        // Only weak tags or tags this service never issues: a condition that no version meets.
        return versions.isEmpty() ? new Long[] { -1L } : versions.toArray(Long[]::new);
    }

    private static ProblemException malformed() {
        return ProblemException.badRequest(IF_MATCH, "expected * or a list of entity tags such as \"3\"");
    }
}
