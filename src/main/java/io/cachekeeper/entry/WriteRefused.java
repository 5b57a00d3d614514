package io.cachekeeper.entry;

import java.util.UUID;

/**
 * A write to an entry that changed nothing, and why: the store's refusals, in its own terms. The API
 * answers each reason with its status (problem/ProblemMappers); the service decides which
 * ({@link WriteRules}).
 */
public final class WriteRefused extends RuntimeException {

    public enum Reason {
        /** No entry has the id (never stored, or purged). */
        NOT_FOUND,
        /** A create with an id another entry has. */
        ID_TAKEN,
        /** If-Match names versions, and the entry is at another one. */
        OTHER_VERSION,
        /** The write needs an entry that is not soft-deleted. */
        DELETED,
        /** A restore of an entry that is not soft-deleted. */
        NOT_DELETED,
        /** A restore after the grace period. */
        GRACE_OVER,
        /** The entry changed between the write and the look-up that explains it: the client may retry. */
        CHANGED_MEANWHILE
    }

    private final Reason reason;

    private WriteRefused(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    static WriteRefused notFound(UUID id) {
        return new WriteRefused(Reason.NOT_FOUND, "no entry with id " + id);
    }

    static WriteRefused idTaken(UUID id) {
        return new WriteRefused(Reason.ID_TAKEN, "an entry with id " + id + " already exists");
    }

    static WriteRefused of(Reason reason, EntryRow row) {
        UUID id = row.id();
        return new WriteRefused(reason, switch (reason) {
            case NOT_FOUND -> "no entry with id " + id;
            case ID_TAKEN -> "an entry with id " + id + " already exists";
            case OTHER_VERSION -> "entry " + id + " is at version " + row.version() + ", not the one If-Match names";
            case DELETED -> "entry " + id + " is soft-deleted; restore it first";
            case NOT_DELETED -> "entry " + id + " is not deleted";
            case GRACE_OVER -> "the grace period of entry " + id + " is over; it can no longer be restored";
            case CHANGED_MEANWHILE -> "entry " + id + " changed concurrently; try again";
        });
    }
}
