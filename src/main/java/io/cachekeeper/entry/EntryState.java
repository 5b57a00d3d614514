package io.cachekeeper.entry;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an entry is in its lifecycle; see {@link Lifecycle} for the rules. */
public enum EntryState {
    LIVE, EXPIRED, DELETED, PURGEABLE;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }
}
