package io.cachekeeper.entry.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A plain unit test: which strings are Unicode text that PostgreSQL stores as given. */
class InputChecksTest {

    @Test
    void surrogatePairsAreTextLoneSurrogatesAreNot() {
        assertFalse(InputChecks.hasLoneSurrogate(""));
        assertFalse(InputChecks.hasLoneSurrogate("plain ascii"));
        assertFalse(InputChecks.hasLoneSurrogate("grinning \ud83d\ude00 face"));
        assertFalse(InputChecks.hasLoneSurrogate("\ud83d\ude00\ud83d\ude00"));
        assertTrue(InputChecks.hasLoneSurrogate("\ud800"));
        assertTrue(InputChecks.hasLoneSurrogate("a\ud800b"));
        assertTrue(InputChecks.hasLoneSurrogate("\udc00"));
        assertTrue(InputChecks.hasLoneSurrogate("\ude00\ud83d"), "reversed pair");
        assertTrue(InputChecks.hasLoneSurrogate("ok \ud83d\ude00 then \ud83d"));
    }
}
