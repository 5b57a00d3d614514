package io.cachekeeper.recyclebin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.entry.CacheEntry;
import io.cachekeeper.entry.EntryColumns;
import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryState;
import io.cachekeeper.entry.EntryTables;
import io.cachekeeper.entry.Lifecycle;
import io.cachekeeper.entry.ListPosition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The operators' recycle bin over {@code cache_entry}: browsing is a Panache query over {@link CacheEntry}
 * (optional filters, an order, keyset paging) that chooses a page's entries, whose rows the entries' one row
 * mapping then reads; restoring is SQL in batches (sql/recycle-bin.sql).
 *
 * <p>
 * States are judged by the database clock: each call first reads {@code now()} from PostgreSQL and states the
 * lifecycle rules as parameters at that instant ({@link Lifecycle.Clock}, held to the SQL rules by
 * LifecycleFormsAgreeTest), and the page's rows are read with their states computed at that same instant.
 *
 * <p>
 * A restore takes at most {@code batch-size} rows per statement (its own short transaction), locked
 * {@code SKIP LOCKED} and re-checked, until a batch comes back short: a purge pass running at the same
 * time re-checks eligibility on the rows it deletes, so it never purges a row a restore committed first,
 * and neither waits on the other beyond one batch. It judges every batch at the database's clock read at its
 * start, table by table ({@link EntryTables}).
 */
@ApplicationScoped
public class RecycleBin implements PanacheRepositoryBase<CacheEntry, UUID> {

    /** The first batch's cursor: before every row (year 1, within PostgreSQL's range). */
    private static final OffsetDateTime BEFORE_ANY = OffsetDateTime.parse("0001-01-01T00:00:00Z");
    private static final UUID FIRST_ID = new UUID(0, 0);

    private final Database database;
    private final EntryTables tables;
    private final Lifecycle lifecycle;
    private final CachekeeperConfig config;
    private final Counter restoredCount;
    private final NamedSql clock;
    private final NamedSql customPlans;
    private final NamedSql defaultPlans;
    private final NamedSql counts;
    private final SqlCatalogue.Statement restoreBatch;
    private final NamedSql byIds;
    /** The batch statement over each table it runs on. */
    private final Map<String, NamedSql> restoreBatchByTable = new ConcurrentHashMap<>();

    public RecycleBin(Database database, SqlCatalogue catalogue, EntryTables tables, Lifecycle lifecycle,
            CachekeeperConfig config, MeterRegistry registry) {
        this.database = database;
        this.tables = tables;
        this.lifecycle = lifecycle;
        this.config = config;
        this.restoredCount = Counter.builder("cachekeeper.recyclebin.restored")
                .description("Entries restored from the recycle bin (POST /admin/entries/restore)")
                .register(registry);
        this.clock = catalogue.get("database-clock");
        this.customPlans = catalogue.get("restore-custom-plans");
        this.defaultPlans = catalogue.get("restore-default-plans");
        this.counts = catalogue.get("restore-counts");
        this.restoreBatch = catalogue.statement("restore-batch");
        this.byIds = catalogue.get("entries-by-ids");
    }

    /** The batch statement over {@code table} (sql/recycle-bin.sql, restore-batch). */
    NamedSql restoreBatchStatement(String table) {
        return restoreBatchByTable.computeIfAbsent(table, t -> restoreBatch.withIdentifiers(Map.of("entries", t)));
    }

    /** One page, newest first in {@code order}, after {@code after}; {@code more} when another follows. */
    public Uni<BinPage> page(BinFilter filter, BinOrder order, ListPosition after, int limit, boolean includeBody) {
        return clock().chain(clock -> database.orm(Panache.withSession(() -> {
            Map<String, Object> params = new HashMap<>();
            StringBuilder where = new StringBuilder(conditions(filter, clock, params));
            if (order == BinOrder.DELETED_AT) {
                where.append(" and deletedAt is not null");
            }
            if (after != null) {
                where.append(" and (").append(order.field).append(" < :afterAt or (").append(order.field)
                        .append(" = :afterAt and id < :afterId))");
                params.put("afterAt", after.at());
                params.put("afterId", after.id());
            }
            Sort sort = Sort.by(order.field, Sort.Direction.Descending).and("id", Sort.Direction.Descending);
            return find(where.toString(), sort, params).page(0, limit + 1).list();
        })).chain(found -> {
            List<UUID> ids = found.stream().limit(limit).map(CacheEntry::id).toList();
            return rows(ids, clock, includeBody).map(rows -> new BinPage(rows, found.size() > limit, order));
        }));
    }

    /**
     * The page's rows, in the order the listing chose them, by the entries' one row mapping (sql/entries.sql,
     * entries-by-ids): the ORM only filters, orders and pages. States are judged at the listing's clock.
     */
    private Uni<List<EntryRow>> rows(List<UUID> ids, Lifecycle.Clock clock, boolean includeBody) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Params args = new Params().set("ids", ids.toArray(UUID[]::new)).set("now", clock.now())
                .set("include_body", includeBody);
        return database.execute(byIds, args).map(rows -> {
            Map<UUID, EntryRow> byId = new HashMap<>();
            EntryColumns.rows(rows).forEach(row -> byId.put(row.content().id(), row));
            return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
        });
    }

    /**
     * Restores every matching entry still in its grace period at the database's clock now, batch by batch; a
     * dry run only counts.
     */
    public Uni<RestoreResult> restore(BinFilter filter, boolean dryRun) {
        if (dryRun) {
            return counts(filter).map(row -> new RestoreResult(row.getLong("deleted"), row.getLong("purgeable")));
        }
        Uni<Long> skipped = counts(filter).map(row -> row.getLong("purgeable"));
        AtomicLong restored = new AtomicLong();
        return database.execute(clock).map(rows -> rows.iterator().next().getOffsetDateTime("now"))
                .chain(now -> tables.forEach((table, connection) -> restoreIn(table, connection, filter, now, restored)))
                .chain(() -> skipped.map(s -> new RestoreResult(restored.get(), s)));
    }

    /**
     * Statements of the restore on one session, with custom plans (sql/recycle-bin.sql says why); the session's
     * plans set back after them, failed or not.
     */
    private <T> Uni<T> withCustomPlans(SqlConnection connection, Uni<T> work) {
        return database.inSession(connection, customPlans).chain(() -> work)
                .eventually(() -> database.inSession(connection, defaultPlans));
    }

    /** Every batch of {@code table}, until one comes back short; the rows restored added to {@code restored}. */
    private Uni<Void> restoreIn(String table, SqlConnection connection, BinFilter filter, OffsetDateTime now,
            AtomicLong restored) {
        int size = config.cleanup().batchSize();
        NamedSql sql = restoreBatchStatement(table);
        AtomicReference<Row> last = new AtomicReference<>();
        return withCustomPlans(connection, Multi.createBy().repeating()
                .uni(() -> {
                    Row after = last.get();
                    Params batch = matching(filter).set("batch_size", (long) size).set("now", now)
                            .set("after_at", after == null ? BEFORE_ANY : after.getOffsetDateTime("last_at"))
                            .set("after_id", after == null ? FIRST_ID : after.getUUID("last_id"));
                    return database.inSession(connection, sql, batch).map(rows -> rows.iterator().next());
                })
                .whilst(row -> row.getLong("picked") == size)
                .invoke(row -> {
                    last.set(row);
                    long n = row.getLong("restored");
                    restored.addAndGet(n);
                    restoredCount.increment(n);
                })
                .collect().last().replaceWithVoid());
    }

    /** The values of the restore's filters, by their parameters' names: null for a filter not given. */
    static Params matching(BinFilter f) {
        return new Params().set("key", f.key()).set("url_prefix", f.urlPrefix())
                .set("deleted_after", f.deletedAfter()).set("deleted_before", f.deletedBefore())
                .set("created_after", f.createdAfter()).set("created_before", f.createdBefore())
                .set("tags", f.tags().isEmpty() ? null : f.tags().toArray(String[]::new));
    }

    /** The matching rows a restore would bring back ({@code deleted}) and those past their grace ({@code purgeable}). */
    private Uni<Row> counts(BinFilter filter) {
        return database.session(connection -> withCustomPlans(connection,
                database.inSession(connection, counts, matching(filter))))
                .map(rows -> rows.iterator().next());
    }

    /** The database clock for this call, and the lifecycle rules at it. */
    private Uni<Lifecycle.Clock> clock() {
        return database.execute(clock).map(rows -> lifecycle.at(rows.iterator().next().getOffsetDateTime("now")));
    }

    /** The filter as a Panache where clause over {@link CacheEntry}, its parameters added to {@code params}. */
    private static String conditions(BinFilter filter, Lifecycle.Clock clock, Map<String, Object> params) {
        List<String> and = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            List<String> or = new ArrayList<>();
            for (EntryState state : filter.states()) {
                Lifecycle.HqlCondition condition = clock.hql(state);
                or.add(condition.hql());
                params.put(condition.parameter(), condition.value());
            }
            and.add("(" + String.join(" or ", or) + ")");
        }
        if (filter.key() != null) {
            and.add("cacheKey = :key");
            params.put("key", filter.key());
        }
        if (filter.urlPrefix() != null) {
            and.add("requestUrl like :urlPattern escape '\\'");
            params.put("urlPattern", filter.urlPrefix().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (!filter.tags().isEmpty()) {
            and.add("array_intersects(tags, :tags)");
            params.put("tags", filter.tags().toArray(String[]::new));
        }
        range(and, params, "deletedAt", filter.deletedAfter(), filter.deletedBefore());
        range(and, params, "createdAt", filter.createdAfter(), filter.createdBefore());
        return and.isEmpty() ? "1 = 1" : String.join(" and ", and);
    }

    private static void range(List<String> and, Map<String, Object> params, String field, OffsetDateTime after,
            OffsetDateTime before) {
        if (after != null) {
            and.add(field + " > :" + field + "After");
            params.put(field + "After", after);
        }
        if (before != null) {
            and.add(field + " < :" + field + "Before");
            params.put(field + "Before", before);
        }
    }

    /** A page of the recycle bin, the order it is in, and whether another follows. */
    public record BinPage(List<EntryRow> rows, boolean more, BinOrder order) {
    }
}
