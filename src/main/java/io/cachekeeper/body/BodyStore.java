package io.cachekeeper.body;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.AsyncCommit;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.entry.ByIdRoute;
import io.cachekeeper.entry.Lifecycle;
import io.cachekeeper.entry.Route;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The statements of streamed bodies ({@code cache_body}, {@code cache_body_chunk}, migration V8): an upload
 * writes its chunks one short statement each, an entry takes a finished body in its own write's transaction,
 * a reader reads a few chunks per statement. A body is immutable once finished, so a reader that found an
 * entry's body reads that version whole whatever writers do meanwhile; a body no entry holds goes after
 * {@code upload-timeout} ({@link #removeUnheld}).
 */
@ApplicationScoped
public class BodyStore {

    /** Chunks per read statement: what a download holds at most, beside the one being written out. */
    static final int CHUNKS_PER_READ = 4;

    // $1 id, $2 key, $3 chunk size. The route is written on PostgreSQL too: one statement for both.
    private static final String START = "INSERT INTO cache_body (id, cache_key, route, chunk_size) VALUES ($1, $2, cache_route($2), $3)";
    // $1 body, $2 seq, $3 the bytes, $4 its key. Touches the body (an upload that keeps sending is not abandoned)
    // and writes nothing when the body is gone or finished. Committed asynchronously: the upload's end commits
    // durably, and WAL is flushed in order, so a finished body has all its chunks.
    private final String writeChunk;
    // $1 body, $2 size, $3 its key
    private final String finish;
    // $1 body, $2 its key
    private final String discard;
    // $1 body, $2 first seq, $3 seq past the last, $4 its key
    private final String read;

    /**
     * The read of a body's chunks ($1 body, $2 first seq, $3 seq past the last, $4 its key); on Citus the key's
     * route named too (public for the Citus routing test).
     */
    public static String read(boolean citus) {
        return """
                SELECT seq, data FROM cache_body_chunk WHERE cache_key = $4%s AND body_id = $1 AND seq >= $2 AND seq < $3
                ORDER BY seq
                """.formatted(keyRoute(citus, "$4"));
    }

    /** On Citus, the condition that names the route of the key {@code key} (a parameter): one shard. */
    private static String keyRoute(boolean citus, String key) {
        return citus ? " AND " + Route.condition(key) : "";
    }

    /**
     * $1 batch size. Bodies no entry holds whose last touch is older than the timeout: broken or abandoned
     * uploads, bodies a replace let go of. Their chunks follow by cascade. Locked SKIP LOCKED, so an entry
     * taking a body right now (which touches it: {@code EntryRepository}) keeps it.
     */
    private final String removeUnheld;
    private final NamedSql entryBody;
    private final Database database;
    private final ByIdRoute route;
    private final int chunkSize;
    private final long maxSize;

    public BodyStore(Database database, CachekeeperConfig config) {
        this.database = database;
        boolean citus = config.citus().enabled();
        this.route = new ByIdRoute(database, citus);
        long chunk = config.streamedBodies().chunkSize().asLongValue();
        if (chunk < 1024 || chunk > 64L << 20) {
            throw new IllegalStateException("cachekeeper.streamed-bodies.chunk-size must be between 1K and 64M, not " + chunk);
        }
        this.chunkSize = (int) chunk;
        this.maxSize = config.streamedBodies().maxSize().asLongValue();
        this.writeChunk = """
                WITH body AS (
                    UPDATE cache_body SET touched_at = now()
                    WHERE cache_key = $4%s AND id = $1 AND size IS NULL AND %s
                    RETURNING id)
                INSERT INTO cache_body_chunk (cache_key, route, body_id, seq, data)
                SELECT $4, cache_route($4), id, $2, $3 FROM body
                """.formatted(keyRoute(citus, "$4"), AsyncCommit.CONDITION);
        this.finish = "UPDATE cache_body SET size = $2, touched_at = now() WHERE cache_key = $3%s AND id = $1 AND size IS NULL"
                .formatted(keyRoute(citus, "$3"));
        this.discard = "DELETE FROM cache_body WHERE cache_key = $2%s AND id = $1".formatted(keyRoute(citus, "$2"));
        this.read = read(citus);
        String timeout = Lifecycle.interval(config.streamedBodies().uploadTimeout());
        // Citus runs no FOR UPDATE through the coordinator: there the picked bodies are deleted by (route, id) and
        // the DELETE re-checks the timeout on the row it deletes; an entry taking a body touches it, so a body
        // taken meanwhile stays.
        this.removeUnheld = """
                WITH gone AS (
                    DELETE FROM cache_body WHERE %2$s IN (
                        SELECT %4$s FROM cache_body b
                        WHERE touched_at <= now() - %1$s
                          AND NOT EXISTS (SELECT 1 FROM cache_entry e
                                          WHERE e.cache_key = b.cache_key%5$s AND e.body_id = b.id)
                        LIMIT $1%3$s)
                      AND touched_at <= now() - %1$s
                    RETURNING 1)
                SELECT count(*) AS removed FROM gone
                """.formatted(timeout, citus ? "(route, id)" : "id", citus ? "" : " FOR UPDATE SKIP LOCKED",
                citus ? "route, id" : "id", citus ? " AND e.route = b.route" : "");
        // :id the entry (ByIdRoute): its version, its key, and its body: streamed (id, size, chunk size) or in the
        // row. The body is joined by key and id (and route on Citus: one shard, where it lives with its entry).
        this.entryBody = NamedSql.of("""
                SELECT e.version, e.cache_key, e.body_id, coalesce(e.body_size, octet_length(e.response_body)) AS size,
                       b.chunk_size, CASE WHEN e.body_id IS NULL THEN e.response_body END AS inline
                FROM (SELECT version, cache_key, route, body_id, body_size, response_body FROM cache_entry WHERE %s) e
                     LEFT JOIN cache_body b ON b.cache_key = e.cache_key%s AND b.id = e.body_id
                """.formatted(route.condition(), citus ? " AND b.route = e.route" : ""));
    }

    public int chunkSize() {
        return chunkSize;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Starts an upload under {@code key}: a body with no chunk yet, unfinished. */
    public Uni<BodyKey> start(String key) {
        BodyKey body = new BodyKey(UUID.randomUUID(), key);
        return database.execute(START, Tuple.of(body.id(), key, chunkSize)).replaceWith(body);
    }

    /** Writes chunk {@code seq}; fails when the body is gone (idle past the timeout, or discarded). */
    Uni<Void> chunk(BodyKey body, int seq, Buffer data) {
        return database.execute(writeChunk, Tuple.of(body.id(), seq).addBuffer(data).addString(body.cacheKey())).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.conflict("upload " + body.id()
                        + " was removed while it ran (idle past cachekeeper.streamed-bodies.upload-timeout)");
            }
            return null;
        });
    }

    /** Marks the body finished at {@code size} bytes: from now on an entry may take it. */
    Uni<Void> finish(BodyKey body, long size) {
        return database.execute(finish, Tuple.of(body.id(), size, body.cacheKey())).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.conflict("upload " + body.id() + " was removed before it finished");
            }
            return null;
        });
    }

    /** Removes a broken-off upload and its chunks at once (the purge would, after the timeout). */
    Uni<Void> discard(BodyKey body) {
        return database.execute(discard, Tuple.of(body.id(), body.cacheKey())).replaceWithVoid();
    }

    /** Removes up to {@code limit} bodies no entry holds, idle past the timeout; how many. */
    public Uni<Long> removeUnheld(SqlConnection connection, int limit) {
        return database.inSession(connection, connection.preparedQuery(removeUnheld).execute(Tuple.of((long) limit)))
                .map(rows -> rows.iterator().next().getLong("removed"));
    }

    /** An entry's body as a reader finds it: empty when there is no such entry. */
    public Uni<Optional<EntryBody>> ofEntry(UUID entry) {
        return route.execute(entry, entryBody, new NamedSql.Params()).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row r = it.next();
            Buffer inline = r.getBuffer("inline");
            return Optional
                    .of(new EntryBody(r.getLong("version"), r.getString("cache_key"), r.getUUID("body_id"), r.getLong("size"),
                            r.getInteger("chunk_size") == null ? 0 : r.getInteger("chunk_size"), inline));
        });
    }

    /**
     * Bytes {@code [from, to]} of a streamed body, a few chunks per statement, each read when the previous ones
     * have been taken (demand), so a slow reader holds a few chunks, not the body. Fails when a chunk is
     * missing (the body was removed meanwhile): the reader gets a cut-off body, never another version's bytes.
     */
    public Multi<Buffer> read(EntryBody body, long from, long to) {
        int first = (int) (from / body.chunkSize());
        int last = (int) (to / body.chunkSize());
        int[] next = { first };
        return Multi.createBy().repeating()
                .uni(() -> {
                    int start = next[0];
                    int end = Math.min(last + 1, start + CHUNKS_PER_READ);
                    next[0] = end;
                    return database.execute(read, Tuple.of(body.id(), start, end, body.cacheKey())).map(rows -> {
                        if (rows.size() != end - start) {
                            throw new IllegalStateException("body " + body.id() + " lost chunks " + start + "–" + (end - 1)
                                    + " while it was read (removed meanwhile)");
                        }
                        List<Buffer> out = new java.util.ArrayList<>(rows.size());
                        for (Row row : rows) {
                            int seq = row.getInteger("seq");
                            Buffer data = row.getBuffer("data");
                            long offset = (long) seq * body.chunkSize();
                            int sliceFrom = (int) Math.max(0, from - offset);
                            int sliceTo = (int) Math.min(data.length(), to - offset + 1);
                            out.add(sliceFrom == 0 && sliceTo == data.length() ? data : data.getBuffer(sliceFrom, sliceTo));
                        }
                        return out;
                    });
                })
                .whilst(chunks -> next[0] <= last)
                .onItem().transformToIterable(chunks -> chunks);
    }

    /**
     * An entry's body: {@code id} null when it is in the row ({@code inline}); {@code version} the entry's, for
     * the ETag.
     */
    public record EntryBody(long version, String cacheKey, UUID id, long size, int chunkSize, Buffer inline) {
    }
}
