package io.cachekeeper.cleanup;

import com.fasterxml.jackson.annotation.JsonValue;

/** What started a pass. */
public enum Trigger {
    SCHEDULED,
    MANUAL;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
