package io.cachekeeper.entry;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.entry.WriteRules.Write;
import io.cachekeeper.problem.PartialInvalidation;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;

/**
 * The entry store's rules on top of {@link EntryRepository}: defaults, and the answer when a write's
 * condition did not hold. The happy path of every call is one statement; only a refused write asks
 * the row once more to say why ({@link WriteRules}, {@link WriteRefused}).
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

    /**
     * Stores a new entry; one without TTL gets {@code cachekeeper.default-ttl} unless it never expires
     * ({@link WriteMode#neverExpires}); a taken id is 409.
     */
    public Uni<EntryRow> create(EntryContent content, WriteMode mode) {
        boolean idChosen = content.id() != null;
        EntryContent c = idChosen ? content : content.withId(Route.newId(content.cacheKey()));
        if (c.ttlSeconds() == null && !mode.neverExpires()) {
            c = c.withTtl(config.defaultTtl().map(d -> d.toSeconds()).orElse(null));
        }
        UUID id = c.id();
        return repository.insert(c, idChosen).map(row -> row.orElseThrow(
                () -> WriteRefused.idTaken(id)));
    }

    /** One entry in any state until it is purged. */
    public Uni<EntryRow> get(UUID id) {
        return repository.find(id).map(row -> row.orElseThrow(() -> WriteRefused.notFound(id)));
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

    /**
     * Replaces request, response, metadata and key (and restarts the TTL when one is given, or ends it when the
     * entry now never expires). Keeping the body ({@link WriteMode#keepBody}) keeps the key: a replace under
     * another key is a 400 naming {@code cacheKey}.
     */
    public Uni<EntryRow> replace(UUID id, Long[] ifMatch, EntryContent content, WriteMode mode) {
        if (!mode.keepBody()) {
            return write(Write.REPLACE, id, ifMatch, repository.replace(id, ifMatch, content, mode.neverExpires()));
        }
        return write(Write.REPLACE, id, ifMatch, repository.replaceKeepingBody(id, ifMatch, content, mode.neverExpires())
                .call(done -> done.isPresent() ? Uni.createFrom().voidItem()
                        : repository.find(id).invoke(current -> current
                                .filter(row -> row.deletedAt() == null && !row.content().cacheKey().equals(content.cacheKey()))
                                .ifPresent(row -> {
                                    throw ProblemException.badRequest("cacheKey", "response.keepBody keeps the entry's body "
                                            + "under its key: a replace that changes the key sends the body");
                                }))));
    }

    /** Restarts the TTL: {@code expiresAt = now() + ttlSeconds}. */
    public Uni<EntryRow> refresh(UUID id, Long[] ifMatch) {
        return write(Write.REFRESH, id, ifMatch, repository.refresh(id, ifMatch));
    }

    /** Soft delete; deleting a deleted entry keeps its first {@code deletedAt}. */
    public Uni<EntryRow> softDelete(UUID id, Long[] ifMatch) {
        return write(Write.SOFT_DELETE, id, ifMatch, repository.softDelete(id, ifMatch));
    }

    /** Undoes a soft delete inside the grace period. */
    public Uni<EntryRow> restore(UUID id, Long[] ifMatch) {
        return write(Write.RESTORE, id, ifMatch, repository.restore(id, ifMatch));
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
     * Runs a conditional write; when it changed nothing, reads the entry to say why ({@link WriteRules}):
     * a {@link WriteRefused}, or the entry as it is when that is the answer.
     */
    private Uni<EntryRow> write(Write write, UUID id, Long[] ifMatch, Uni<Optional<EntryRow>> statement) {
        return statement.chain(done -> done.isPresent()
                ? Uni.createFrom().item(done.get())
                : repository.find(id).map(current -> {
                    Optional<WriteRefused.Reason> refused = WriteRules.whyUnchanged(write, current, ifMatch);
                    if (refused.isPresent()) {
                        throw current.isEmpty() ? WriteRefused.notFound(id) : WriteRefused.of(refused.get(), current.get());
                    }
                    return current.get();
                }));
    }

    /** A page of a key lookup; {@code more} when a next page exists. */
    public record Page(List<EntryRow> rows, boolean more) {
    }
}
