package io.cachekeeper.client;

import java.util.List;
import java.util.Optional;

/** One page of a key lookup, oldest first; {@code next} is the cursor of the following page, if any. */
public record Page(List<Entry> entries, Optional<String> next) {
}
