package io.cachekeeper.body;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.config.CachekeeperConfig;
import io.cachekeeper.database.Database;
import io.cachekeeper.database.NamedSql;
import io.cachekeeper.database.NamedSql.Params;
import io.cachekeeper.database.SqlCatalogue;
import io.cachekeeper.entry.IdPlacement;
import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

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

    private final NamedSql start;
    private final NamedSql writeChunk;
    private final NamedSql finish;
    private final NamedSql discard;
    private final NamedSql read;
    private final NamedSql removeUnheld;
    private final NamedSql entryBody;
    private final Database database;
    private final IdPlacement ids;
    private final int chunkSize;
    private final long maxSize;

    public BodyStore(Database database, SqlCatalogue catalogue, IdPlacement ids, CachekeeperConfig config) {
        this.database = database;
        this.ids = ids;
        long chunk = config.streamedBodies().chunkSize().asLongValue();
        if (chunk < 1024 || chunk > 64L << 20) {
            throw new IllegalStateException("cachekeeper.streamed-bodies.chunk-size must be between 1K and 64M, not " + chunk);
        }
        this.chunkSize = (int) chunk;
        this.maxSize = config.streamedBodies().maxSize().asLongValue();
        this.start = catalogue.get("body-start");
        this.writeChunk = catalogue.get("body-write-chunk");
        this.finish = catalogue.get("body-finish");
        this.discard = catalogue.get("body-discard");
        this.read = catalogue.get("body-read-chunks");
        this.removeUnheld = catalogue.get("bodies-remove-unheld");
        this.entryBody = catalogue.get("entry-body");
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
        return database.execute(start, new Params().set("id", body.id()).set("cache_key", key).set("chunk_size", chunkSize))
                .replaceWith(body);
    }

    /** Writes chunk {@code seq}; fails when the body is gone (idle past the timeout, or discarded). */
    Uni<Void> chunk(BodyKey body, int seq, Buffer data) {
        return database.execute(writeChunk, of(body).set("seq", seq).set("data", data.getDelegate())).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.conflict("upload " + body.id()
                        + " was removed while it ran (idle past cachekeeper.streamed-bodies.upload-timeout)");
            }
            return null;
        });
    }

    /** Marks the body finished at {@code size} bytes: from now on an entry may take it. */
    Uni<Void> finish(BodyKey body, long size) {
        return database.execute(finish, of(body).set("size", size)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw ProblemException.conflict("upload " + body.id() + " was removed before it finished");
            }
            return null;
        });
    }

    /** Removes a broken-off upload and its chunks at once (the purge would, after the timeout). */
    Uni<Void> discard(BodyKey body) {
        return database.execute(discard, of(body)).replaceWithVoid();
    }

    /** Removes up to {@code limit} bodies no entry holds, idle past the timeout; how many. */
    public Uni<Long> removeUnheld(SqlConnection connection, int limit) {
        return database.inSession(connection, removeUnheld, new Params().set("batch_size", (long) limit))
                .map(rows -> rows.iterator().next().getLong("removed"));
    }

    /** An entry's body as a reader finds it: empty when there is no such entry. */
    public Uni<Optional<EntryBody>> ofEntry(UUID entry) {
        return ids.byId(entry, entryBody, new Params()).map(rows -> {
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
                    return database.execute(read, new Params().set("id", body.id()).set("cache_key", body.cacheKey())
                            .set("first_seq", start).set("end_seq", end)).map(rows -> {
                                if (rows.size() != end - start) {
                                    throw new IllegalStateException(
                                            "body " + body.id() + " lost chunks " + start + "–" + (end - 1)
                                                    + " while it was read (removed meanwhile)");
                                }
                                List<Buffer> out = new java.util.ArrayList<>(rows.size());
                                for (Row row : rows) {
                                    int seq = row.getInteger("seq");
                                    Buffer data = row.getBuffer("data");
                                    long offset = (long) seq * body.chunkSize();
                                    int sliceFrom = (int) Math.max(0, from - offset);
                                    int sliceTo = (int) Math.min(data.length(), to - offset + 1);
                                    out.add(sliceFrom == 0 && sliceTo == data.length() ? data
                                            : data.getBuffer(sliceFrom, sliceTo));
                                }
                                return out;
                            });
                })
                .whilst(chunks -> next[0] <= last)
                .onItem().transformToIterable(chunks -> chunks);
    }

    /** The parameters that name an upload's body: its id and its key. */
    private static Params of(BodyKey body) {
        return new Params().set("id", body.id()).set("cache_key", body.cacheKey());
    }

    /**
     * An entry's body: {@code id} null when it is in the row ({@code inline}); {@code version} the entry's, for
     * the ETag.
     */
    public record EntryBody(long version, String cacheKey, UUID id, long size, int chunkSize, Buffer inline) {
    }
}
