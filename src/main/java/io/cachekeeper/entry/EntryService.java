package io.cachekeeper.entry;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.problem.PartialInvalidation;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The entry store's rules on top of {@link EntryRepository}: defaults, and the answer when a write's
 * condition did not hold. The happy path of every call is one statement; only a refused write asks
 * the row once more to say why (404 gone, 412 other version, 409/410 wrong state).
 *
 * <p>
 * {@code ifMatch} is the list of versions an {@code If-Match} header names; null means no header
 * (or {@code *}): no version condition.
 */
@ApplicationScoped
public class EntryService {

    private final EntryRepository repository;
    private final CachekeeperConfig config;
    private final Invalidations invalidations;

    public EntryService(EntryRepository repository, CachekeeperConfig config, Invalidations invalidations) {
        this.repository = repository;
        this.config = config;
        this.invalidations = invalidations;
    }

    /** Stores a new entry; one without TTL gets {@code cachekeeper.default-ttl}; a taken id is 409. */
    public Uni<EntryRow> create(EntryContent content) {
        EntryContent c = content.id() == null ? content.withId(UUID.randomUUID()) : content;
        if (c.ttlSeconds() == null) {
            c = c.withTtl(config.defaultTtl().map(d -> d.toSeconds()).orElse(null));
        }
        UUID id = c.id();
        return repository.insert(c).map(row -> row.orElseThrow(
                () -> ProblemException.conflict("an entry with id " + id + " already exists")));
    }

    /** One entry in any state until it is purged. */
    public Uni<EntryRow> get(UUID id) {
        return repository.find(id).map(row -> row.orElseThrow(() -> notFound(id)));
    }

    /** One page of the entries under a key, and whether more follow. */
    public Uni<Page> findByKey(KeyQuery query) {
        // One row more than the page tells whether a next page exists, without a count; so does a page
        // that the byte cap on bodies cut short.
        KeyQuery probe = new KeyQuery(query.key(), query.includeDeleted(), query.includeExpired(),
                query.includeBody(), query.limit() + 1, query.after());
        return repository.byKey(probe).map(page -> {
            List<EntryRow> rows = page.rows().size() > query.limit() ? page.rows().subList(0, query.limit()) : page.rows();
            return new Page(rows, page.found() > rows.size());
        });
    }

    /** Replaces request, response, metadata and key (and restarts the TTL when one is given). */
    public Uni<EntryRow> replace(UUID id, Long[] ifMatch, EntryContent content) {
        return write(id, ifMatch, repository.replace(id, ifMatch, content), refuse(this::undeletedRequired));
    }

    /** Restarts the TTL: {@code expiresAt = now() + ttlSeconds}. */
    public Uni<EntryRow> refresh(UUID id, Long[] ifMatch) {
        return write(id, ifMatch, repository.refresh(id, ifMatch), refuse(this::undeletedRequired));
    }

    /** Soft delete; deleting a deleted entry keeps its first {@code deletedAt}. */
    public Uni<EntryRow> softDelete(UUID id, Long[] ifMatch) {
        return write(id, ifMatch, repository.softDelete(id, ifMatch),
                row -> row.deletedAt() != null ? row : refuse(this::changedMeanwhile).apply(row));
    }

    /** Undoes a soft delete inside the grace period. */
    public Uni<EntryRow> restore(UUID id, Long[] ifMatch) {
        return write(id, ifMatch, repository.restore(id, ifMatch), refuse(row -> switch (row.state()) {
            case LIVE, EXPIRED -> ProblemException.conflict("entry " + id + " is not deleted");
            case PURGEABLE -> ProblemException.gone(
                    "the grace period of entry " + id + " is over; it can no longer be restored");
            case DELETED -> changedMeanwhile(row);
        }));
    }

    /** Soft-deletes every live entry under a key; returns how many. */
    public Uni<Long> softDeleteByKey(String key) {
        return counted(Invalidations.Kind.KEY, repository.softDeleteByKey(key).map(Integer::longValue));
    }

    /** Soft-deletes every live entry whose request URL starts with {@code prefix} (literally), in batches. */
    public Uni<Long> softDeleteByUrlPrefix(String prefix) {
        return counted(Invalidations.Kind.PREFIX, repository.softDeleteByUrlPrefix(prefix, UrlPrefix.upperBound(prefix)));
    }

    /** Soft-deletes every live entry that carries any of {@code tags} (exact, case-sensitive), in batches. */
    public Uni<Long> softDeleteByTags(List<String> tags) {
        return counted(Invalidations.Kind.TAG, repository.softDeleteByTags(tags));
    }

    private Uni<Long> counted(Invalidations.Kind kind, Uni<Long> invalidation) {
        return invalidation.onItemOrFailure().invoke((deleted, failure) -> invalidations.count(kind,
                failure instanceof PartialInvalidation p ? p.deleted() : deleted == null ? 0 : deleted));
    }

    /**
     * Runs a conditional write; when it changed nothing, reads the row to say why: gone (404), a
     * version the client did not name (412), or else what {@code unchanged} makes of the row as it is
     * (a refusal: the state the write needs; or the answer itself, for a delete of a deleted entry).
     */
    private Uni<EntryRow> write(UUID id, Long[] ifMatch, Uni<Optional<EntryRow>> statement,
            Function<EntryRow, EntryRow> unchanged) {
        return statement.chain(done -> done.isPresent()
                ? Uni.createFrom().item(done.get())
                : repository.find(id).map(row -> {
                    EntryRow current = row.orElseThrow(() -> notFound(id));
                    if (ifMatch != null && !List.of(ifMatch).contains(current.version())) {
                        throw ProblemException.preconditionFailed("entry " + id + " is at version "
                                + current.version() + ", not the one If-Match names");
                    }
                    return unchanged.apply(current);
                }));
    }

    /** An answer to an unchanged row that always refuses, with the problem {@code refusal} names. */
    private static Function<EntryRow, EntryRow> refuse(Function<EntryRow, ProblemException> refusal) {
        return row -> {
            throw refusal.apply(row);
        };
    }

    private ProblemException undeletedRequired(EntryRow row) {
        return row.deletedAt() != null
                ? ProblemException.conflict("entry " + row.id() + " is soft-deleted; restore it first")
                : changedMeanwhile(row);
    }

    /** The row changed between the write and the look-up (another writer): the client may retry. */
    private ProblemException changedMeanwhile(EntryRow row) {
        return ProblemException.conflict("entry " + row.id() + " changed concurrently; try again");
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("no entry with id " + id);
    }

    /** A page of a key lookup; {@code more} when a next page exists. */
    public record Page(List<EntryRow> rows, boolean more) {
    }
}
