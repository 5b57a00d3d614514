package io.cachekeeper.http;

/**
 * What text the service accepts, written once for the JSON body ({@code InputChecks}) and the query
 * ({@link StrictQuery}). Any text must be storable: PostgreSQL's {@code text} and {@code jsonb} refuse
 * U+0000, and a lone UTF-16 surrogate (JSON lets {@code "\ud800"} through) is not Unicode at all: encoded
 * to UTF-8 it becomes {@code ?}, and two different keys one. A name (a cache key, a URL, a prefix, a
 * tag) is also plain: no control character (C0, DEL, C1), which no URL contains and which a query could
 * only carry percent-encoded, so that the key a client stored is the key it can look up.
 */
public final class TextRules {

    /**
     * The longest cache key, request URL, URL prefix and query value, in characters (a URL prefix may come
     * percent-encoded up to three times as long in a query: {@link RequestHeadLimits}).
     */
    public static final int MAX_TEXT = 8192;

    /** {@link #notPlain} as a regular expression (ECMA-262 and Python alike), for the OpenAPI document. */
    public static final String PLAIN_PATTERN = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

    /**
     * {@link #notPlain} and not blank as bean validation's {@code @NotBlank} judges it (at least one character
     * above U+0020), as one regular expression.
     */
    public static final String PLAIN_NOT_BLANK_PATTERN = "^[^\\u0000-\\u001F\\u007F-\\u009F]*"
            + "[^\\u0000-\\u0020\\u007F-\\u009F][^\\u0000-\\u001F\\u007F-\\u009F]*$";

    /** A storable text that is not blank: a header's name. */
    public static final String STORABLE_NOT_BLANK_PATTERN = "^[^\\u0000]*[^\\u0000-\\u0020][^\\u0000]*$";

    /** {@link #unstorable} as a regular expression (a lone surrogate cannot be written in a JSON document's text). */
    public static final String STORABLE_PATTERN = "^[^\\u0000]*$";

    private TextRules() {
    }

    /**
     * A text's length in characters as JSON Schema counts them (Unicode code points), which the document's
     * {@code maxLength} states: an emoji is one character, not Java's two UTF-16 units.
     */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Why {@code s} cannot be stored, or null when it can. */
    public static String unstorable(String s) {
        if (s.indexOf('\0') >= 0) {
            return "must not contain NUL characters";
        }
        if (hasLoneSurrogate(s)) {
            return "must not contain a lone UTF-16 surrogate (not Unicode text)";
        }
        return null;
    }

    /** Why {@code s} is not a plain name, or null when it is. */
    public static String notPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return s.charAt(i) == '\0' ? "must not contain NUL characters"
                        : "must not contain control characters (U+" + String.format("%04X", (int) s.charAt(i)) + ")";
            }
        }
        return unstorable(s);
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
