package io.cachekeeper.entry.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.cachekeeper.entry.ListPosition;
import io.cachekeeper.problem.ProblemException;

/** The opaque page cursor, on its own. */
class PageCursorTest {

    @Test
    void aCursorDecodesToThePositionItEncodesToTheMicrosecond() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 27, 10, 0, 0, 123_456_000, ZoneOffset.ofHours(2));
        UUID id = UUID.randomUUID();
        ListPosition p = PageCursor.decode(PageCursor.encode(at, id));
        assertEquals(at.toInstant(), p.at().toInstant());
        assertEquals(id, p.id());
    }

    @Test
    void noCursorIsTheFirstPage() {
        assertNull(PageCursor.decode(null));
    }

    @Test
    void aCursorThisApiDidNotGiveIsA400NamingTheParameter() {
        for (String bad : new String[] { "", "!!", "bm90IGEgY3Vyc29y",
                PageCursor.encode(OffsetDateTime.now(), UUID.randomUUID()) + "x" }) {
            ProblemException e = assertThrows(ProblemException.class, () -> PageCursor.decode(bad), bad);
            assertEquals(400, e.status());
            assertEquals("after", e.field());
        }
    }
}
