package io.cachekeeper.entry;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an entry is in its lifecycle; {@link Lifecycle} holds the rules (as SQL). */
public enum EntryState {
    LIVE,
    EXPIRED,
    DELETED,
    PURGEABLE;

    private static final EntryState[] ALL = values();

    /** Computed once: every entry written out and every row read names its state. */
    private final String json = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String json() {
        return json;
    }

    /** The state as {@link Lifecycle#stateColumn()} spells it. */
    public static EntryState of(String json) {
        for (EntryState state : ALL) {
            if (state.json.equals(json)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no entry state named " + json);
    }
}
