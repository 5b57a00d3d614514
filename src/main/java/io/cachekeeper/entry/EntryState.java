package io.cachekeeper.entry;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an entry is in its lifecycle; {@link Lifecycle} holds the rules (as SQL). */
public enum EntryState {
    LIVE, EXPIRED, DELETED, PURGEABLE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state as {@link Lifecycle#stateColumn()} spells it. */
    public static EntryState of(String json) {
        return valueOf(json.toUpperCase(Locale.ROOT));
    }
}
