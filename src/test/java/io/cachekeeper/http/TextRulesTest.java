package io.cachekeeper.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A plain unit test: which strings are Unicode text that PostgreSQL stores as given, and which are plain names. */
class TextRulesTest {

    @Test
    void surrogatePairsAreTextLoneSurrogatesAreNot() {
        assertFalse(TextRules.hasLoneSurrogate(""));
        assertFalse(TextRules.hasLoneSurrogate("plain ascii"));
        assertFalse(TextRules.hasLoneSurrogate("grinning \ud83d\ude00 face"));
        assertFalse(TextRules.hasLoneSurrogate("\ud83d\ude00\ud83d\ude00"));
        assertTrue(TextRules.hasLoneSurrogate("\ud800"));
        assertTrue(TextRules.hasLoneSurrogate("a\ud800b"));
        assertTrue(TextRules.hasLoneSurrogate("\udc00"));
        assertTrue(TextRules.hasLoneSurrogate("\ude00\ud83d"), "reversed pair");
        assertTrue(TextRules.hasLoneSurrogate("ok \ud83d\ude00 then \ud83d"));
    }

    @Test
    void aPlainNameHasNoControlCharacterAndIsStorable() {
        assertNull(TextRules.notPlain("GET https://example.com/a?b=c d"));
        assertNull(TextRules.notPlain("produkt-\u00e9 \ud83d\ude00"));
        assertEquals("must not contain NUL characters", TextRules.notPlain("a\0b"));
        assertEquals("must not contain control characters (U+0009)", TextRules.notPlain("a\tb"));
        assertEquals("must not contain control characters (U+007F)", TextRules.notPlain("\u007f"));
        assertEquals("must not contain control characters (U+0085)", TextRules.notPlain("a\u0085"));
        assertEquals("must not contain a lone UTF-16 surrogate (not Unicode text)", TextRules.notPlain("\ud800"));
        assertNull(TextRules.unstorable("a\tb"), "a tab is storable where plain names are not required");
    }
}
