package io.cachekeeper.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cachekeeper.entry.WriteRefused.Reason;
import io.cachekeeper.entry.WriteRules.Write;

/**
 * The refusals of a conditional write, case by case: why it changed nothing, from the entry a look-up found
 * right after it. "ANSWER" is the entry as it is (a delete of a deleted entry); docs/contract.md gives the
 * status of each reason.
 */
class WriteRulesTest {

    private static final long VERSION = 7;

    @ParameterizedTest(name = "{0} of an entry that is {1}, If-Match {2}: {3}")
    @CsvSource({
            // the entry gone, whatever the write and its condition
            "REPLACE,     GONE,      -,   NOT_FOUND",
            "REFRESH,     GONE,      7,   NOT_FOUND",
            "SOFT_DELETE, GONE,      -,   NOT_FOUND",
            "RESTORE,     GONE,      8,   NOT_FOUND",
            // another version than If-Match names comes before any state
            "REPLACE,     LIVE,      8,   OTHER_VERSION",
            "REFRESH,     DELETED,   6,   OTHER_VERSION",
            "SOFT_DELETE, DELETED,   8,   OTHER_VERSION",
            "RESTORE,     PURGEABLE, 8,   OTHER_VERSION",
            // writes that need an entry that is not deleted
            "REPLACE,     DELETED,   -,   DELETED",
            "REPLACE,     PURGEABLE, 7,   DELETED",
            "REFRESH,     DELETED,   -,   DELETED",
            "REPLACE,     LIVE,      -,   CHANGED_MEANWHILE",
            "REFRESH,     EXPIRED,   7,   CHANGED_MEANWHILE",
            // deleting a deleted entry answers it as it is
            "SOFT_DELETE, DELETED,   -,   ANSWER",
            "SOFT_DELETE, PURGEABLE, 7,   ANSWER",
            "SOFT_DELETE, LIVE,      -,   CHANGED_MEANWHILE",
            // a restore needs a deleted entry inside its grace period
            "RESTORE,     LIVE,      -,   NOT_DELETED",
            "RESTORE,     EXPIRED,   7,   NOT_DELETED",
            "RESTORE,     PURGEABLE, -,   GRACE_OVER",
            "RESTORE,     DELETED,   -,   CHANGED_MEANWHILE",
    })
    void whyAWriteChangedNothing(Write write, String state, String ifMatch, String expected) {
        Optional<EntryRow> current = state.equals("GONE") ? Optional.empty() : Optional.of(row(EntryState.valueOf(state)));
        Long[] versions = ifMatch.equals("-") ? null : new Long[] { Long.parseLong(ifMatch) };
        Optional<Reason> why = WriteRules.whyUnchanged(write, current, versions);
        assertEquals(expected, why.map(Reason::name).orElse("ANSWER"));
    }

    private static EntryRow row(EntryState state) {
        OffsetDateTime now = OffsetDateTime.now();
        boolean deleted = state == EntryState.DELETED || state == EntryState.PURGEABLE;
        EntryContent content = new EntryContent(UUID.randomUUID(), "k", "GET", "https://e/", null, 200, null, new byte[0],
                null, null, List.of(), null, null);
        return new EntryRow(content, now, state == EntryState.EXPIRED ? now.minusSeconds(1) : null,
                deleted ? now.minusSeconds(1) : null, null, state, VERSION);
    }
}
