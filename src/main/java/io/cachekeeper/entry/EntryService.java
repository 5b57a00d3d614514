package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The entry store: every read and write of {@code cache_entry} made for the entries API. Each
 * method is one short transaction (or a read-only session); timestamps come from {@link DbClock}.
 * Writes lock the row ({@code SELECT … FOR UPDATE}), so the purge, which skips locked rows, can
 * never delete an entry that a restore or update is about to commit.
 */
@ApplicationScoped
public class EntryService {

    private final DbClock clock;
    private final Lifecycle lifecycle;
    private final CachekeeperConfig config;

    public EntryService(DbClock clock, Lifecycle lifecycle, CachekeeperConfig config) {
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.config = config;
    }

    /** Stores a new entry; a draft without TTL gets {@code cachekeeper.default-ttl}. */
    @WithTransaction
    public Uni<Observed> create(CacheEntry draft) {
        if (draft.id == null) {
            draft.id = UUID.randomUUID();
        }
        if (draft.ttlSeconds == null) {
            draft.ttlSeconds = config.defaultTtl().map(d -> d.toSeconds()).orElse(null);
        }
        // No look-up first: the primary key says whether the id is taken, in the same round trip.
        return clock.now()
                .chain(now -> {
                    draft.createdAt = now;
                    draft.updatedAt = now;
                    draft.startTtl(now);
                    return draft.persistAndFlush().replaceWith(new Observed(draft, now));
                })
                .onFailure(UniqueViolation::is)
                .transform(e -> ProblemException.conflict("an entry with id " + draft.id + " already exists"));
    }

    /** One entry in any state until it is purged. */
    @WithSession
    public Uni<Observed> get(UUID id) {
        return CacheEntry.<CacheEntry>findById(id)
                .chain(entry -> {
                    if (entry == null) {
                        throw notFound(id);
                    }
                    return clock.now().map(now -> new Observed(entry, now));
                });
    }

    /** The entries under a key, oldest first: live ones, plus deleted / expired ones on request. */
    @WithSession
    public Uni<List<Observed>> findByKey(String key, boolean includeDeleted, boolean includeExpired) {
        return clock.now().chain(now -> {
            List<String> visible = new ArrayList<>();
            visible.add("(deletedAt is null and (expiresAt is null or expiresAt > :now))");
            if (includeDeleted) {
                visible.add("(deletedAt is not null and deletedAt > :graceCutoff)");
            }
            if (includeExpired) {
                visible.add("(deletedAt is null and expiresAt <= :now)");
            }
            Parameters params = Parameters.with("key", key).and("now", now);
            if (includeDeleted) {
                params = params.and("graceCutoff", lifecycle.graceCutoff(now));
            }
            String query = "cacheKey = :key and (" + String.join(" or ", visible) + ") order by createdAt, id";
            return CacheEntry.<CacheEntry>list(query, params)
                    .map(entries -> entries.stream().map(e -> new Observed(e, now)).toList());
        });
    }

    /** Replaces request, response, metadata and key; the TTL too when the draft carries one. */
    @WithTransaction
    public Uni<Observed> replace(UUID id, CacheEntry draft) {
        return modifyUndeleted(id, (entry, now) -> {
            entry.cacheKey = draft.cacheKey;
            entry.requestMethod = draft.requestMethod;
            entry.requestUrl = draft.requestUrl;
            entry.requestHeaders = draft.requestHeaders;
            entry.responseStatus = draft.responseStatus;
            entry.responseHeaders = draft.responseHeaders;
            entry.responseBody = draft.responseBody;
            entry.metadata = draft.metadata;
            if (draft.ttlSeconds != null) {
                entry.ttlSeconds = draft.ttlSeconds;
                entry.startTtl(now);
            }
            return entry;
        });
    }

    /** Restarts the TTL: {@code expiresAt = now() + ttlSeconds}. */
    @WithTransaction
    public Uni<Observed> refresh(UUID id) {
        return modifyUndeleted(id, (entry, now) -> {
            entry.startTtl(now);
            return entry;
        });
    }

    /** Soft delete; deleting a deleted entry keeps its first {@code deletedAt}. */
    @WithTransaction
    public Uni<Observed> softDelete(UUID id) {
        return modify(id, (entry, now) -> {
            if (entry.deletedAt == null) {
                entry.deletedAt = now;
                entry.updatedAt = now;
            }
            return entry;
        });
    }

    /** Soft-deletes every live entry under a key; returns how many. */
    @WithTransaction
    public Uni<Integer> softDeleteByKey(String key) {
        return clock.now().chain(now -> CacheEntry.update(
                "deletedAt = :now, updatedAt = :now where cacheKey = :key and deletedAt is null"
                        + " and (expiresAt is null or expiresAt > :now)",
                Parameters.with("now", now).and("key", key)));
    }

    /** Undoes a soft delete inside the grace period. */
    @WithTransaction
    public Uni<Observed> restore(UUID id) {
        return modify(id, (entry, now) -> {
            switch (lifecycle.stateAt(entry, now)) {
                case LIVE, EXPIRED -> throw ProblemException.conflict("entry " + id + " is not deleted");
                case PURGEABLE -> throw new ProblemException(410,
                        "the grace period of entry " + id + " is over; it can no longer be restored");
                case DELETED -> {
                    entry.deletedAt = null;
                    entry.updatedAt = now;
                }
            }
            return entry;
        });
    }

    private Uni<Observed> modifyUndeleted(UUID id, BiFunction<CacheEntry, OffsetDateTime, CacheEntry> change) {
        return modify(id, (entry, now) -> {
            if (entry.deletedAt != null) {
                throw ProblemException.conflict("entry " + id + " is soft-deleted; restore it first");
            }
            entry.updatedAt = now;
            return change.apply(entry, now);
        });
    }

    /** Loads and locks the row, applies the change at the database's now, flushes. */
    private Uni<Observed> modify(UUID id, BiFunction<CacheEntry, OffsetDateTime, CacheEntry> change) {
        return CacheEntry.<CacheEntry>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .chain(entry -> {
                    if (entry == null) {
                        throw notFound(id);
                    }
                    return clock.now().chain(now -> {
                        CacheEntry changed = change.apply(entry, now);
                        return changed.<CacheEntry>persistAndFlush().replaceWith(new Observed(changed, now));
                    });
                });
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no entry with id " + id);
    }

}
