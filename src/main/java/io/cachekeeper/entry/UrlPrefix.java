package io.cachekeeper.entry;

/**
 * "Starts with P" as a range over byte-ordered ("C" collation) text: every string that starts with P
 * lies in [P, upperBound(P)), so a b-tree serves the match with no LIKE pattern (and no wildcards:
 * {@code %} and {@code _} are ordinary characters here).
 */
final class UrlPrefix {

    private UrlPrefix() {
    }

    /**
     * The least string greater than every string that starts with {@code prefix}: the prefix with its
     * last code point incremented (UTF-8 byte order is code point order). Null when no such string
     * exists (the last code point is the highest), and the caller then relies on the lower bound alone.
     */
    static String upperBound(String prefix) {
        int end = prefix.length();
        while (end > 0) {
            int last = prefix.codePointBefore(end);
            int start = end - Character.charCount(last);
            int next = last + 1;
            if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
                next = Character.MAX_SURROGATE + 1; // surrogates are not characters; skip the block
            }
            if (next <= Character.MAX_CODE_POINT) {
                return prefix.substring(0, start) + new String(Character.toChars(next));
            }
            end = start; // U+10FFFF: carry into the previous code point
        }
        return null;
    }
}
