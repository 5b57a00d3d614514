package io.cachekeeper.recyclebin;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.entry.CacheEntry;
import io.cachekeeper.entry.EntryRow;
import io.cachekeeper.entry.EntryState;
import io.cachekeeper.entry.Lifecycle;
import io.cachekeeper.entry.api.PageCursor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

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
 * and neither waits on the other beyond one batch.
 */
@ApplicationScoped
public class RecycleBin implements PanacheRepositoryBase<CacheEntry, UUID> {

    private final Database database;
    private final Lifecycle lifecycle;
    private final CachekeeperConfig config;
    private final Counter restoredCount;
    private final String restoreBatch;
    private final String countDeleted;
    private final String countPurgeable;

    public RecycleBin(Database database, Lifecycle lifecycle, CachekeeperConfig config, MeterRegistry registry) {
        this.database = database;
        this.lifecycle = lifecycle;
        this.config = config;
        this.restoredCount = Counter.builder("cachekeeper.recyclebin.restored")
                .description("Entries restored from the recycle bin (POST /admin/entries/restore)")
                .register(registry);
        // $1 key, $2 URL prefix, $3/$4 deleted after/before, $5/$6 created after/before: NULL means "any".
        String matching = """
                ($1::text IS NULL OR cache_key = $1)
                  AND ($2::text IS NULL OR starts_with(request_url, $2))
                  AND ($3::timestamptz IS NULL OR deleted_at > $3) AND ($4::timestamptz IS NULL OR deleted_at < $4)
                  AND ($5::timestamptz IS NULL OR created_at > $5) AND ($6::timestamptz IS NULL OR created_at < $6)""";
        // $7 batch size. The same change as a single restore: live again, version advanced.
        this.restoreBatch = """
                WITH picked AS (
                    SELECT id FROM cache_entry
                    WHERE %s AND %s
                    LIMIT $7 FOR UPDATE SKIP LOCKED)
                UPDATE cache_entry e
                SET deleted_at = NULL, updated_at = now(), version = e.version + 1
                FROM picked WHERE e.id = picked.id
                """.formatted(lifecycle.deleted(), matching);
        String count = """
                SELECT count(*) AS entries FROM cache_entry WHERE %s AND %s
                """;
        this.countDeleted = count.formatted(lifecycle.deleted(), matching);
        this.countPurgeable = count.formatted(lifecycle.purgeable(), matching);
    }

    /** One page, newest first in {@code order}, after {@code after}; {@code more} when another follows. */
    public Uni<BinPage> page(BinFilter filter, BinOrder order, PageCursor.Position after, int limit, boolean includeBody) {
        return clock().chain(clock -> database.bounded(Panache.withSession(() -> {
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

    /** Restores every matching entry still in its grace period, batch by batch; a dry run only counts. */
    public Uni<RestoreResult> restore(BinFilter filter, boolean dryRun) {
        Uni<Long> skipped = count(countPurgeable, matching(filter));
        if (dryRun) {
            return count(countDeleted, matching(filter)).chain(n -> skipped.map(s -> new RestoreResult(n, s)));
        }
        int size = config.cleanup().batchSize();
        Tuple batch = matching(filter).addLong((long) size);
        AtomicLong restored = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> database.execute(restoreBatch, batch).map(rows -> rows.rowCount()))
                .whilst(n -> n == size)
                .invoke(n -> {
                    restored.addAndGet(n);
                    restoredCount.increment(n);
                })
                .collect().last()
                .chain(() -> skipped.map(s -> new RestoreResult(restored.get(), s)));
    }

    /** The filter as the parameters $1–$6 of the restore statements (null: any). */
    private static Tuple matching(BinFilter filter) {
        return Tuple.tuple(Arrays.asList(filter.key(), filter.urlPrefix(), filter.deletedAfter(), filter.deletedBefore(),
                filter.createdAfter(), filter.createdBefore()));
    }

    private Uni<Long> count(String sql, Tuple args) {
        return database.execute(sql, args).map(rows -> rows.iterator().next().getLong("entries"));
    }

    /** The database clock for this call, and the lifecycle rules at it. */
    private Uni<Lifecycle.Clock> clock() {
        return database.query(Lifecycle.NOW).map(rows -> lifecycle.at(rows.iterator().next().getOffsetDateTime(0)));
    }

    /** The filter as a Panache where clause over {@link CacheEntry}, its parameters added to {@code params}. */
    private static String conditions(BinFilter filter, Lifecycle.Clock clock, Map<String, Object> params) {
        List<String> and = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            List<String> or = new ArrayList<>();
            for (EntryState state : filter.states()) {
                or.add(switch (state) {
                    case LIVE -> "(deletedAt is null and (expiresAt is null or expiresAt > :now))";
                    case EXPIRED -> "(deletedAt is null and expiresAt <= :now)";
                    case DELETED -> "(deletedAt > :graceStart)";
                    case PURGEABLE -> "(deletedAt <= :graceStart)";
                });
                if (state == EntryState.LIVE || state == EntryState.EXPIRED) {
                    params.put("now", clock.now());
                } else {
                    params.put("graceStart", clock.graceStart());
                }
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
