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
        for (String bad : new String[] { "3", "\"3", "", " ", ",", "\"3\" \"4\"", "\"1 2\"", "*, \"3\"", "W/3" }) {
            ProblemException e = assertThrows(ProblemException.class, () -> Preconditions.ifMatch(bad), bad);
            assertEquals(400, e.status());
            assertEquals("If-Match", e.field());
        }
    }

    /** RFC 9110 §5.6.1: a list may carry empty elements, and a comma inside a quoted tag is part of the tag. */
    @Test
    void aListIsReadAsRfc9110Says() {
        assertArrayEquals(new Long[] { 3L }, Preconditions.ifMatch("\"3\","));
        assertArrayEquals(new Long[] { 3L, 4L }, Preconditions.ifMatch(" , \"3\" ,, \"4\" "));
        assertArrayEquals(new Long[] { -1L }, Preconditions.ifMatch("\"1,2\""));
        assertArrayEquals(new Long[] { 5L }, Preconditions.ifMatch("W/\"1\", \"5\""));
    }

    @Test
    void theEtagIsTheQuotedVersion() {
        assertEquals("\"7\"", Preconditions.etag(7));
        assertArrayEquals(new Long[] { 7L }, Preconditions.ifMatch(Preconditions.etag(7)));
    }
}
