package io.cachekeeper.recyclebin;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.cachekeeper.entry.EntryState;
import io.cachekeeper.entry.Tags;
import io.cachekeeper.problem.ProblemException;

/**
 * Which entries the recycle bin shows or restores: any of the states (none: every state), a key, a URL
 * prefix (literal), any of some tags, and ranges of deletion and creation time (exclusive bounds, ISO-8601 with an
 * offset). Each malformed value is a 400 naming its parameter.
 */
public record BinFilter(Set<EntryState> states, String key, String urlPrefix, List<String> tags, OffsetDateTime deletedAfter,
        OffsetDateTime deletedBefore, OffsetDateTime createdAfter, OffsetDateTime createdBefore) {

    static BinFilter parse(List<String> states, String key, String urlPrefix, List<String> tags, String deletedAfter,
            String deletedBefore, String createdAfter, String createdBefore) {
        Set<EntryState> parsed = EnumSet.noneOf(EntryState.class);
        for (String s : states == null ? List.<String> of() : states) {
            try {
                parsed.add(EntryState.of(s));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("state",
                        "unknown state \"" + s + "\": one of live, expired, deleted, purgeable");
            }
        }
        return new BinFilter(parsed, key, urlPrefix, Tags.query(tags), time("deletedAfter", deletedAfter),
                time("deletedBefore", deletedBefore), time("createdAfter", createdAfter), time("createdBefore", createdBefore));
    }

    /** Whether the filter narrows by key, URL prefix, tag or deletion time: a bulk restore needs one of them. */
    boolean scoped() {
        return key != null || urlPrefix != null || !tags.isEmpty() || deletedAfter != null;
    }

    /** Only soft-deleted states asked for: the listing's natural order is newest deletion first. */
    boolean deletedOnly() {
        return !states.isEmpty() && EnumSet.of(EntryState.DELETED, EntryState.PURGEABLE).containsAll(states);
    }

    private static OffsetDateTime time(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name, "not an ISO-8601 time with an offset, e.g. 2026-11-27T10:00:00Z");
        }
    }
}
