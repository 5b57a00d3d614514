package io.cachekeeper.entry;

import java.util.List;
import java.util.Optional;

import io.cachekeeper.entry.WriteRefused.Reason;

/**
 * Why a conditional write to one entry changed nothing, from the entry as a look-up right after found it:
 * the store's decision table, apart from the statements (EntryRepository) and from HTTP. Empty means the
 * entry as it is is the answer (deleting a deleted entry).
 */
public final class WriteRules {

    /** The conditional writes to one entry. */
    public enum Write {
        REPLACE,
        REFRESH,
        SOFT_DELETE,
        RESTORE
    }

    private WriteRules() {
    }

    /** {@code current} the entry now, empty when it is gone; {@code ifMatch} the versions If-Match names, or null. */
    public static Optional<Reason> whyUnchanged(Write write, Optional<EntryRow> current, Long[] ifMatch) {
        if (current.isEmpty()) {
            return Optional.of(Reason.NOT_FOUND);
        }
        EntryRow row = current.get();
        if (ifMatch != null && !List.of(ifMatch).contains(row.version())) {
            return Optional.of(Reason.OTHER_VERSION);
        }
        boolean deleted = row.deletedAt() != null;
        return switch (write) {
            case REPLACE, REFRESH -> Optional.of(deleted ? Reason.DELETED : Reason.CHANGED_MEANWHILE);
            case SOFT_DELETE -> deleted ? Optional.empty() : Optional.of(Reason.CHANGED_MEANWHILE);
            case RESTORE -> Optional.of(switch (row.state()) {
                case LIVE, EXPIRED -> Reason.NOT_DELETED;
                case PURGEABLE -> Reason.GRACE_OVER;
                case DELETED -> Reason.CHANGED_MEANWHILE;
            });
        };
    }
}
