package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The upper bound of "starts with P" in byte order, on its own. */
class UrlPrefixTest {

    @Test
    void theLastCharacterIsIncremented() {
        assertEquals("https://a.example/v2", UrlPrefix.upperBound("https://a.example/v1"));
        assertEquals("https://a.example0", UrlPrefix.upperBound("https://a.example/"));
        assertEquals("&", UrlPrefix.upperBound("%"), "% is an ordinary character, not a wildcard");
    }

    @Test
    void supplementaryCharactersAreIncrementedAsOneCodePoint() {
        assertEquals("a\uD83D\uDE01", UrlPrefix.upperBound("a\uD83D\uDE00")); // 😀 → 😁
    }

    @Test
    void theSurrogateBlockIsSkipped() {
        assertEquals("a\uE000", UrlPrefix.upperBound("a\uD7FF"));
    }

    @Test
    void theHighestCodePointCarriesIntoThePreviousOne() {
        assertEquals("b", UrlPrefix.upperBound("a\uDBFF\uDFFF"));
        assertNull(UrlPrefix.upperBound("\uDBFF\uDFFF"), "nothing is above U+10FFFF alone");
    }

    @Test
    void everyStringStartingWithThePrefixSortsBelowTheBoundInUtf8ByteOrder() {
        String prefix = "https://ü.example/é";
        byte[] bound = UrlPrefix.upperBound(prefix).getBytes(StandardCharsets.UTF_8);
        for (String s : new String[] { prefix, prefix + "\uDBFF\uDFFF\uDBFF\uDFFF", prefix + "zzz", prefix + "\u00ff" }) {
            assertTrue(Arrays.compareUnsigned(s.getBytes(StandardCharsets.UTF_8), bound) < 0, s);
        }
        assertTrue(Arrays.compareUnsigned(prefix.getBytes(StandardCharsets.UTF_8), bound) < 0);
    }
}
