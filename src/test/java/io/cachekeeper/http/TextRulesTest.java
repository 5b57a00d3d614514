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

    /** The document's patterns say what the checks decide, for every character class that matters. */
    @Test
    void thePatternsOfTheDocumentAgreeWithTheChecks() {
        String[] samples = { "a", "GET https://example.com/a", " ", "  x ", "\u00a0", "\u2003", "tab\there", "nl\n",
                "\u0000", "x\u0000", "\u007f", "\u0085", "\u009f", "\u00a0x", "caf\u00e9", "\ud83d\ude0d", "" };
        java.util.regex.Pattern plain = java.util.regex.Pattern.compile(TextRules.PLAIN_PATTERN);
        java.util.regex.Pattern plainNotBlank = java.util.regex.Pattern.compile(TextRules.PLAIN_NOT_BLANK_PATTERN);
        java.util.regex.Pattern storable = java.util.regex.Pattern.compile(TextRules.STORABLE_PATTERN);
        for (String s : samples) {
            assertEquals(TextRules.notPlain(s) == null, plain.matcher(s).matches(), "plain: " + s);
            // bean validation's @NotBlank trims characters up to U+0020
            assertEquals(TextRules.notPlain(s) == null && !s.trim().isEmpty(), plainNotBlank.matcher(s).matches(),
                    "plain, not blank: " + s);
            assertEquals(TextRules.unstorable(s) == null, storable.matcher(s).matches(), "storable: " + s);
        }
    }

    @Test
    void lengthsAreCodePointsAsJsonSchemaCountsThem() {
        assertEquals(1, TextRules.length("\ud83d\ude0d"));
        assertEquals(3, TextRules.length("abc"));
    }
}
