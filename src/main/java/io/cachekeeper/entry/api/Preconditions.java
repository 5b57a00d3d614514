package io.cachekeeper.entry.api;

import java.util.ArrayList;
import java.util.List;

import io.cachekeeper.problem.ProblemException;

/**
 * Entity tags: an entry's version is its strong ETag {@code "<version>"}. {@code If-Match} takes
 * {@code *} or a comma-separated list of entity tags (RFC 9110 §13.1.1); a weak tag ({@code W/"3"})
 * never matches, since If-Match compares strongly. Anything else is a 400 naming the header.
 */
public final class Preconditions {

    public static final String IF_MATCH = "If-Match";

    private Preconditions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * The versions the header names; null when there is no condition (no header, or {@code *}). The header is an
     * RFC 9110 list of entity tags: optional white space and empty elements around commas, a comma inside a quoted
     * tag part of the tag ({@code "1,2"} is one tag, which no version matches). An empty header, or one that is not
     * such a list, is malformed.
     */
    public static Long[] ifMatch(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.equals("*")) {
            return null;
        }
        List<Long> versions = new ArrayList<>();
        int tags = 0;
        int i = 0;
        while (true) {
            i = skip(value, i, true);
            if (i == value.length()) {
                break;
            }
            boolean weak = value.startsWith("W/", i);
            int open = weak ? i + 2 : i;
            if (open >= value.length() || value.charAt(open) != '"') {
                throw malformed();
            }
            int close = open + 1;
            while (close < value.length() && value.charAt(close) != '"') {
                if (!etagc(value.charAt(close))) {
                    throw malformed();
                }
                close++;
            }
            if (close == value.length()) {
                throw malformed();
            }
            String opaque = value.substring(open + 1, close);
            if (!weak && opaque.matches("[0-9]{1,18}")) {
                versions.add(Long.parseLong(opaque));
            }
            tags++;
            i = skip(value, close + 1, false);
            if (i < value.length() && value.charAt(i) != ',') {
                throw malformed();
            }
        }
        if (tags == 0) {
            throw malformed();
        }
        // Only weak tags or tags this service never issues: a condition that no version meets.
        return versions.isEmpty() ? new Long[] { -1L } : versions.toArray(Long[]::new);
    }

    /** Past optional white space, and commas when {@code commas} (between list elements). */
    private static int skip(String value, int i, boolean commas) {
        while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || commas && value.charAt(i) == ',')) {
            i++;
        }
        return i;
    }

    /**
     * A character of an entity tag's quoted part: RFC 9110's etagc, visible ASCII but DQUOTE. Its obs-text (bytes
     * above 0x7F, obsolete) is refused: this service never issues such a tag, and no decoding of them is certain.
     */
    private static boolean etagc(char c) {
        return c == 0x21 || c >= 0x23 && c <= 0x7e;
    }

    private static ProblemException malformed() {
        return ProblemException.badRequest(IF_MATCH, "expected * or a list of entity tags such as \"3\"");
    }
}
