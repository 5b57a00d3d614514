package io.cachekeeper.recyclebin;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt](\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d{1,9})\\d*)?(?:[Zz]|([+-])(\\d{2}):(\\d{2}))");

    private static OffsetDateTime time(String name, String value) {
        if (value == null) {
            return null;
        }
        // RFC 3339's date-time (the OpenAPI document's format): 'T' and 'Z' in either case, any fraction, and any
        // offset up to ±23:59, where java.time stops at ±18:00; the instant is kept, in UTC.
        Matcher m = DATE_TIME.matcher(value);
        if (m.matches()) {
            try {
                LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2)
                        + (m.group(3) == null ? "" : "." + (m.group(3) + "00000000").substring(0, 9)));
                int offset = 0;
                if (m.group(4) != null) {
                    int hours = Integer.parseInt(m.group(5));
                    int minutes = Integer.parseInt(m.group(6));
                    if (hours <= 23 && minutes <= 59) {
                        offset = (m.group(4).equals("-") ? -1 : 1) * (hours * 3600 + minutes * 60);
                    } else {
                        throw new DateTimeParseException("offset out of range", value, 0);
                    }
                }
                return local.minusSeconds(offset).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // not a date or time of the calendar: refused below
            }
        }
        throw ProblemException.badRequest(name, "not an RFC 3339 date-time with an offset, e.g. 2026-11-27T10:00:00Z");
    }
}
