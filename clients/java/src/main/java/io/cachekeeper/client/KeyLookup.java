package io.cachekeeper.client;

/**
 * A key lookup ({@code GET /entries?key=}): by default the live entries under the key with their
 * bodies, 100 per page. {@code after} is the cursor from the previous {@link Page#next()}.
 */
public record KeyLookup(String key, boolean includeDeleted, boolean includeExpired, boolean includeBody, int limit,
        String after) {

    public static KeyLookup of(String key) {
        return new KeyLookup(key, false, false, true, 100, null);
    }

    public KeyLookup includeDeleted(boolean value) {
        return new KeyLookup(key, value, includeExpired, includeBody, limit, after);
    }

    public KeyLookup includeExpired(boolean value) {
        return new KeyLookup(key, includeDeleted, value, includeBody, limit, after);
    }

    public KeyLookup includeBody(boolean value) {
        return new KeyLookup(key, includeDeleted, includeExpired, value, limit, after);
    }

    public KeyLookup limit(int value) {
        return new KeyLookup(key, includeDeleted, includeExpired, includeBody, value, after);
    }

    public KeyLookup after(String cursor) {
        return new KeyLookup(key, includeDeleted, includeExpired, includeBody, limit, cursor);
    }
}
