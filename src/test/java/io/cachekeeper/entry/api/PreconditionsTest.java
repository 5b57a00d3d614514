package io.cachekeeper.entry.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.cachekeeper.problem.ProblemException;

/** The If-Match parser and the ETag it answers, on their own. */
class PreconditionsTest {

    @Test
    void noHeaderAndTheWildcardAreNoCondition() {
        assertNull(Preconditions.ifMatch(null));
        assertNull(Preconditions.ifMatch(" * "));
    }

    @Test
    void oneTagOrAListNamesVersions() {
        assertArrayEquals(new Long[] { 3L }, Preconditions.ifMatch("\"3\""));
        assertArrayEquals(new Long[] { 3L, 4L }, Preconditions.ifMatch("\"3\", \"4\""));
    }

    @Test
    void weakTagsAndTagsNeverIssuedMatchNoVersion() {
        assertArrayEquals(new Long[] { -1L }, Preconditions.ifMatch("W/\"3\""));
        assertArrayEquals(new Long[] { -1L }, Preconditions.ifMatch("\"abc\", \"1234567890123456789\""));
        assertArrayEquals(new Long[] { 5L }, Preconditions.ifMatch("W/\"3\", \"5\""));
    }

    @Test
    void aMalformedHeaderIsA400NamingIt() {
        for (String bad : new String[] { "3", "\"3", "\"3\",", "", "\"3\" \"4\"" }) {
            ProblemException e = assertThrows(ProblemException.class, () -> Preconditions.ifMatch(bad), bad);
            assertEquals(400, e.status());
            assertEquals("If-Match", e.field());
        }
    }

    @Test
    void theEtagIsTheQuotedVersion() {
        assertEquals("\"7\"", Preconditions.etag(7));
        assertArrayEquals(new Long[] { 7L }, Preconditions.ifMatch(Preconditions.etag(7)));
    }
}
