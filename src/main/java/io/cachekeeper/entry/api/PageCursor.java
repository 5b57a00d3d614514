package io.cachekeeper.entry.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.ListPosition;
import io.cachekeeper.problem.ProblemException;

/**
 * The opaque {@code after} cursor of a paged listing: where the last entry of a page sits in the
 * listing's order, a time and the id, base64url-encoded. Opaque to clients, so its form may change.
 */
public final class PageCursor {

    public static final String PARAM = "after";

    private PageCursor() {
    }

    public static String encode(OffsetDateTime at, UUID id) {
        Instant t = at.toInstant();
        String raw = t.getEpochSecond() + "." + t.getNano() + "." + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names; null for none; a 400 naming {@value #PARAM} for one this API did not give. */
    public static ListPosition decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\.", 3);
            Instant t = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            return new ListPosition(t.atOffset(ZoneOffset.UTC), UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest(PARAM, "not a cursor from a Link header of this API");
        }
    }

    /** Key lookups: the position in {@code (createdAt, id)} order. */
    static String of(EntryRow last) {
        return encode(last.createdAt(), last.id());
    }
}
