package io.cachekeeper.recyclebin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.citus.EntryShards;
import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.WorkerPools;
import io.cachekeeper.entry.CacheEntry;
import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryState;
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
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * The operators' recycle bin over {@code cache_entry}: browsing is a Panache query over
 * {@link CacheEntry} (optional filters, an order, keyset paging), restoring is SQL in batches.
 *
 * <p>
 * States are judged by the database clock: each call first reads {@code now()} from PostgreSQL and
 * states the lifecycle rules as parameters at that instant ({@link Lifecycle.Clock}), so a row's state
 * here is the one the SQL fragments of {@link Lifecycle} would give.
 *
 * <p>
 * A restore takes at most {@code batch-size} rows per statement (its own short transaction), locked
 * {@code SKIP LOCKED} and re-checked, until a batch comes back short: a purge pass running at the same
 * time re-checks eligibility on the rows it deletes, so it never purges a row a restore committed first,
 * and neither waits on the other beyond one batch. It judges every batch at the database's clock read at its
 * start (the coordinator's on Citus, where it goes shard by shard to the workers, {@link #tables}).
 */
@ApplicationScoped
public class RecycleBin implements PanacheRepositoryBase<CacheEntry, UUID> {

    /** The first batch's cursor: before every row (year 1, within PostgreSQL's range). */
    private static final OffsetDateTime BEFORE_ANY = OffsetDateTime.parse("0001-01-01T00:00:00Z");
    private static final UUID FIRST_ID = new UUID(0, 0);

    /** The table of entries on PostgreSQL (and the distributed one on Citus, sharded in {@link EntryShards}). */
    private static final String ENTRY_TABLE = "cache_entry";

    private final Database database;
    private final EntryShards shards;
    private final WorkerPools workers;
    private final Lifecycle lifecycle;
    private final CachekeeperConfig config;
    private final Counter restoredCount;
    /** The restore's statements by filter shape ({@link #statements}). */
    private final Map<Set<Filter>, Statements> statements = new ConcurrentHashMap<>();

    public RecycleBin(Database database, EntryShards shards, WorkerPools workers, Lifecycle lifecycle,
            CachekeeperConfig config, MeterRegistry registry) {
        this.database = database;
        this.shards = shards;
        this.workers = workers;
        this.lifecycle = lifecycle;
        this.config = config;
        this.restoredCount = Counter.builder("cachekeeper.recyclebin.restored")
                .description("Entries restored from the recycle bin (POST /admin/entries/restore)")
                .register(registry);
    }

    /**
     * The restore's statements for one filter shape: a condition for each filter given (over its parameter,
     * {@link Filter#parameter}) and none for the others, then the batch size ({@code :batch_size}), the cursor
     * (the previous batch's last deleted_at and id, {@code :after_at} and {@code :after_id}; -infinity and the
     * zero id for the first) and the instant the restore judges at ({@code :now}).
     * One text per shape rather than "$1 IS NULL OR …" for every filter: the planner estimates such a
     * clause at almost nothing, so a generic plan expected a handful of matches and sorted all of them, a
     * batch costing some 40 times the custom plan's (docs/performance.md, "Figures behind the code").
     */
    private static final class Statements {

        /** Where the batch statement names its table: {@code cache_entry}, or one shard's table on Citus. */
        private static final String TABLE = "@TABLE@";

        private final String restoreBatch;
        private final Map<String, NamedSql> restoreBatchByTable = new ConcurrentHashMap<>();
        private final NamedSql countDeleted;
        private final NamedSql countPurgeable;

        Statements(Lifecycle lifecycle, Set<Filter> shape) {
            List<String> and = new ArrayList<>();
            for (Filter f : Filter.values()) {
                if (shape.contains(f)) {
                    and.add(f.condition.formatted(":" + f.parameter()));
                }
            }
            String matching = and.isEmpty() ? "true" : String.join(" AND ", and);
            // The same change as a single restore: live again, version advanced. A batch takes the rows after
            // the previous batch's last in (deleted_at, id) order, which cache_entry_purge_deleted_idx hands
            // out from where it left off: restarting from the top read every row restored before again. The
            // locked rows are changed by ctid (a TID scan: their ctid cannot change while this statement
            // holds their locks). A row locked by someone else is passed over. On Citus the same statement
            // runs on each shard's own table on its worker, where it is plain PostgreSQL.
            restoreBatch = """
                    WITH picked AS (
                        SELECT ctid, deleted_at, id FROM %3$s
                        WHERE %1$s AND %2$s AND (deleted_at, id) > (:after_at::timestamptz, :after_id::uuid)
                        ORDER BY deleted_at, id
                        LIMIT :batch_size FOR UPDATE SKIP LOCKED),
                    restored AS (
                        UPDATE %3$s
                        SET deleted_at = NULL, updated_at = now(), version = version + 1
                        WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked)) AND %1$s
                        RETURNING 1),
                    last AS (
                        SELECT deleted_at, id FROM picked ORDER BY deleted_at DESC, id DESC LIMIT 1)
                    SELECT (SELECT count(*) FROM picked) AS picked, (SELECT count(*) FROM restored) AS restored,
                           (SELECT deleted_at FROM last) AS last_at, (SELECT id FROM last) AS last_id
                    """.formatted(lifecycle.deleted(":now::timestamptz"), matching, TABLE);
            String count = """
                    SELECT count(*) AS entries FROM cache_entry WHERE %s AND %s
                    """;
            countDeleted = NamedSql.of(count.formatted(lifecycle.deleted(), matching));
            countPurgeable = NamedSql.of(count.formatted(lifecycle.purgeable(), matching));
        }

        /** The batch statement over {@code table}. */
        NamedSql restoreBatch(String table) {
            return restoreBatchByTable.computeIfAbsent(table, t -> NamedSql.of(restoreBatch.replace(TABLE, t)));
        }
    }

    /** The filters a restore can have; each condition over its parameter. */
    private enum Filter {
        KEY("cache_key = %s"),
        URL_PREFIX("starts_with(request_url, %s)"),
        DELETED_AFTER("deleted_at > %s::timestamptz"),
        DELETED_BEFORE("deleted_at < %s::timestamptz"),
        CREATED_AFTER("created_at > %s::timestamptz"),
        CREATED_BEFORE("created_at < %s::timestamptz"),
        TAGS("tags && %s::text[]");

        final String condition;

        Filter(String condition) {
            this.condition = condition;
        }

        /** Its parameter's name: the filter's, in snake case. */
        String parameter() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        Object value(BinFilter f) {
            return switch (this) {
                case KEY -> f.key();
                case URL_PREFIX -> f.urlPrefix();
                case DELETED_AFTER -> f.deletedAfter();
                case DELETED_BEFORE -> f.deletedBefore();
                case CREATED_AFTER -> f.createdAfter();
                case CREATED_BEFORE -> f.createdBefore();
                case TAGS -> f.tags().isEmpty() ? null : f.tags().toArray(String[]::new);
            };
        }

        /** The filters {@code f} gives. */
        static Set<Filter> of(BinFilter f) {
            Set<Filter> given = EnumSet.noneOf(Filter.class);
            for (Filter filter : values()) {
                if (filter.value(f) != null) {
                    given.add(filter);
                }
            }
            return given;
        }
    }

    /** The statements of a filter's shape, written once per shape (at most 2^7, in practice a few). */
    private Statements statements(Set<Filter> shape) {
        return statements.computeIfAbsent(shape, s -> new Statements(lifecycle, s));
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
            return find(where.toString(), sort, params).page(0, limit + 1).list()
                    .chain(found -> {
                        List<CacheEntry> rows = found.size() > limit ? found.subList(0, limit) : found;
                        return bodies(rows, includeBody).map(bodies -> new BinPage(rows.stream()
                                .map(e -> e.toRow(clock, bodies.get(e.id()))).toList(), found.size() > limit,
                                order));
                    });
        })));
    }

    /** The batch statement a restore with {@code filter} runs. */
    NamedSql restoreBatchStatement(BinFilter filter) {
        return statements(Filter.of(filter)).restoreBatch(ENTRY_TABLE);
    }

    /**
     * Restores every matching entry still in its grace period at the database's clock now, batch by batch; a
     * dry run only counts.
     */
    public Uni<RestoreResult> restore(BinFilter filter, boolean dryRun) {
        Statements statements = statements(Filter.of(filter));
        Uni<Long> skipped = count(statements.countPurgeable, matching(filter));
        if (dryRun) {
            return count(statements.countDeleted, matching(filter)).chain(n -> skipped.map(s -> new RestoreResult(n, s)));
        }
        AtomicLong restored = new AtomicLong();
        return database.execute(Lifecycle.NOW).map(rows -> rows.iterator().next().getOffsetDateTime(0))
                .chain(now -> tables().chain(tables -> Multi.createFrom().iterable(tables)
                        .onItem().transformToUniAndConcatenate(table -> restoreIn(table, statements, filter, now, restored))
                        .collect().last()))
                .chain(() -> skipped.map(s -> new RestoreResult(restored.get(), s)));
    }

    /**
     * Where a restore runs its batches: {@code cache_entry} on PostgreSQL; on Citus each shard's own table on
     * its worker, one shard after the other, so that a batch reads one shard's index from where the last one
     * left off (through the coordinator, every batch read and sorted the matches of all shards, and Citus
     * runs no {@code FOR UPDATE} there).
     */
    private Uni<List<Table>> tables() {
        if (!config.citus().enabled()) {
            return Uni.createFrom().item(List.of(new Table(ENTRY_TABLE, database::execute)));
        }
        return shards.list().map(list -> list.stream().map(shard -> new Table(shard.table(),
                (sql, params) -> workers.durable(shard.host(), shard.port()).withConnection(c -> database.inSession(c,
                        c.preparedQuery(sql.sql()).execute(sql.bind(params))))))
                .toList());
    }

    /** A table that holds entries, and how a statement reaches it. */
    private record Table(String name, BiFunction<NamedSql, Params, Uni<RowSet<Row>>> execute) {
    }

    /** Every batch of {@code table}, until one comes back short; the rows restored added to {@code restored}. */
    private Uni<Void> restoreIn(Table table, Statements statements, BinFilter filter, OffsetDateTime now,
            AtomicLong restored) {
        int size = config.cleanup().batchSize();
        NamedSql sql = statements.restoreBatch(table.name());
        AtomicReference<Row> last = new AtomicReference<>();
        return Multi.createBy().repeating()
                .uni(() -> {
                    Row after = last.get();
                    Params batch = matching(filter).set("batch_size", (long) size).set("now", now)
                            .set("after_at", after == null ? BEFORE_ANY : after.getOffsetDateTime("last_at"))
                            .set("after_id", after == null ? FIRST_ID : after.getUUID("last_id"));
                    return table.execute().apply(sql, batch).map(rows -> rows.iterator().next());
                })
                .whilst(row -> row.getLong("picked") == size)
                .invoke(row -> {
                    last.set(row);
                    long n = row.getLong("restored");
                    restored.addAndGet(n);
                    restoredCount.increment(n);
                })
                .collect().last().replaceWithVoid();
    }

    /** The values of the filters {@code filter} gives, by their parameters' names. */
    private static Params matching(BinFilter filter) {
        Params params = new Params();
        for (Filter f : Filter.values()) {
            Object value = f.value(filter);
            if (value != null) {
                params.set(f.parameter(), value);
            }
        }
        return params;
    }

    private Uni<Long> count(NamedSql sql, Params args) {
        return database.execute(sql, args).map(rows -> rows.iterator().next().getLong("entries"));
    }

    /** The database clock for this call, and the lifecycle rules at it. */
    private Uni<Lifecycle.Clock> clock() {
        return database.execute(Lifecycle.NOW).map(rows -> lifecycle.at(rows.iterator().next().getOffsetDateTime(0)));
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

    /** The bodies of a page's entries, in one query, when asked for. */
    private Uni<Map<UUID, byte[]>> bodies(List<CacheEntry> rows, boolean includeBody) {
        if (!includeBody || rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        List<UUID> ids = rows.stream().map(CacheEntry::id).toList();
        return getSession().chain(session -> session
                .createSelectionQuery("select e.id, e.responseBody from CacheEntry e where e.id in :ids", Object[].class)
                .setParameter("ids", ids).getResultList())
                .map(pairs -> {
                    Map<UUID, byte[]> out = new HashMap<>();
                    pairs.forEach(p -> out.put((UUID) p[0], (byte[]) p[1]));
                    return out;
                });
    }

    /** A page of the recycle bin, the order it is in, and whether another follows. */
    public record BinPage(List<EntryRow> rows, boolean more, BinOrder order) {
    }
}
