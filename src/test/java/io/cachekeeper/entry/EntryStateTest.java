package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** A plain unit test: state names do not depend on the JVM's default locale (Turkish dotless i). */
class EntryStateTest {

    @Test
    void namesReadAndWriteTheSameUnderATurkishLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            for (EntryState state : EntryState.values()) {
                assertEquals(state, EntryState.of(state.json()));
            }
            assertEquals("live", EntryState.LIVE.json());
            assertEquals(EntryState.EXPIRED, EntryState.of("expired"));
        } finally {
            Locale.setDefault(before);
        }
    }
}
