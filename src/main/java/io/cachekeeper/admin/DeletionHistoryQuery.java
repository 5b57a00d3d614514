package io.cachekeeper.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.entry.Lifecycle;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Soft deletions per hour, for the console's chart: one range scan of {@code cache_entry_purge_deleted_idx
 * (deleted_at, id) WHERE deleted_at IS NOT NULL}, read from the index alone, and the hours counted by the database
 * ({@code date_bin}, immutable, so a distributed store runs it on its shards' servers). The span starts at an hour boundary of
 * the database
 * clock, read first like every state the admin API judges.
 */
@ApplicationScoped
public class DeletionHistoryQuery {

    /** The longest span a chart asks for: a week of hours. */
    public static final int MAX_HOURS = 168;

    private final Database database;
    private final Lifecycle lifecycle;
    private final Duration gracePeriod;
    private final NamedSql perHour;
    private final NamedSql clock;

    public DeletionHistoryQuery(Database database, SqlCatalogue catalogue, Lifecycle lifecycle, CachekeeperConfig config) {
        this.perHour = catalogue.get("deletions-per-hour");
        this.clock = catalogue.get("database-clock");
        this.database = database;
        this.lifecycle = lifecycle;
        this.gracePeriod = config.cleanup().gracePeriod();
    }

    /** The last {@code hours} hours, the current one included. */
    public Uni<DeletionHistory> lastHours(int hours) {
        return database.execute(clock).chain(now -> {
            OffsetDateTime clock = now.iterator().next().getOffsetDateTime(0);
            Instant first = clock.toInstant().truncatedTo(ChronoUnit.HOURS).minus(hours - 1L, ChronoUnit.HOURS);
            return database.execute(perHour, new NamedSql.Params().set("since", first.atOffset(clock.getOffset())))
                    .map(rows -> {
                        Map<Instant, Long> counted = new HashMap<>();
                        for (Row row : rows) {
                            counted.put(row.getOffsetDateTime("hour").toInstant(), row.getLong("deleted"));
                        }
                        List<DeletionHistory.Hour> span = new ArrayList<>(hours);
                        for (int i = 0; i < hours; i++) {
                            Instant start = first.plus(i, ChronoUnit.HOURS);
                            span.add(new DeletionHistory.Hour(start, counted.getOrDefault(start, 0L)));
                        }
                        return new DeletionHistory(clock.toInstant(), gracePeriod.toString(),
                                lifecycle.at(clock).graceStart().toInstant(), span);
                    });
        });
    }
}
