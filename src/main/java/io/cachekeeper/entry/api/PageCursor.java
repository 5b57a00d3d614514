package io.cachekeeper.entry.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.KeyQuery;
import io.cachekeeper.problem.ProblemException;

/**
 * The opaque {@code after} cursor of a key lookup: where the last entry of a page sits in lookup order,
 * {@code (createdAt, id)}, base64url-encoded. Opaque to clients, so its form may change.
 */
final class PageCursor {

    static final String PARAM = "after";

    private PageCursor() {
    }

    static String of(EntryRow last) {
        Instant t = last.createdAt().toInstant();
        String raw = t.getEpochSecond() + "." + t.getNano() + "." + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static KeyQuery.Cursor parse(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\.", 3);
            Instant t = Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
            return new KeyQuery.Cursor(t.atOffset(ZoneOffset.UTC), UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw ProblemException.badRequest(PARAM, "not a cursor from a Link header of this API");
        }
    }
}
