package io.cachekeeper.body;

import java.util.ArrayDeque;

import io.cachekeeper.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * One upload's pump from the request to the database: the bytes are cut into chunks of exactly the chunk size
 * and each chunk is written by its own statement while the next one arrives. When a second chunk is complete
 * before the first is written the request is paused (TCP then slows the client), so an upload holds at most two
 * chunks and a part of a third, whatever the body's size. Past the size limit, a broken connection or a failed
 * write, the body is discarded (its chunks with it) and nothing is left to serve.
 *
 * <p>
 * Vert.x calls the request's handlers on its event loop and the database's answers may come on another
 * thread, so the pump's state is guarded by its monitor (never held across a call that waits).
 */
public final class BodyUpload {

    private final BodyStore store;
    private final HttpServerRequest request;
    private final BodyKey body;
    private final int chunkSize;
    private final long maxSize;
    private final UniEmitter<? super Long> done;

    private final ArrayDeque<Buffer> ready = new ArrayDeque<>(2);
    private Buffer partial = Buffer.buffer();
    private long received;
    private int nextSeq;
    private boolean writing;
    private boolean ended;
    private boolean settled;
    private boolean paused;

    private BodyUpload(BodyStore store, HttpServerRequest request, BodyKey body, UniEmitter<? super Long> done) {
        this.store = store;
        this.request = request;
        this.body = body;
        this.chunkSize = store.chunkSize();
        this.maxSize = store.maxSize();
        this.done = done;
    }

    /**
     * Streams the request's body into the body {@code body} (started, no chunk yet); its size once every chunk is
     * written and the body is finished. The request must be paused; it is resumed here.
     */
    public static Uni<Long> run(BodyStore store, HttpServerRequest request, BodyKey body) {
        return Uni.createFrom().<Long> emitter(emitter -> {
            BodyUpload upload = new BodyUpload(store, request, body, emitter);
            request.handler(upload::received);
            request.endHandler(v -> upload.ended());
            // Also how a connection that closes mid-body is reported.
            request.exceptionHandler(upload::broken);
            request.resume();
        });
    }

    private void received(io.vertx.core.buffer.Buffer bytes) {
        synchronized (this) {
            if (settled) {
                return;
            }
            received += bytes.length();
            if (received > maxSize) {
                tooLarge();
                return;
            }
            partial.appendBuffer(Buffer.newInstance(bytes));
            while (partial.length() >= chunkSize) {
                ready.add(partial.getBuffer(0, chunkSize));
                partial = partial.getBuffer(chunkSize, partial.length());
            }
            if (writing && !ready.isEmpty() && !paused) {
                paused = true; // a whole chunk waits behind the one being written: let TCP slow the client
                request.pause();
            }
        }
        writeNext();
    }

    private void ended() {
        synchronized (this) {
            if (settled) {
                return;
            }
            ended = true;
            if (partial.length() > 0) {
                ready.add(partial);
                partial = Buffer.buffer();
            }
        }
        writeNext();
    }

    private void writeNext() {
        Buffer chunk;
        int seq;
        boolean finish;
        synchronized (this) {
            if (settled || writing) {
                return;
            }
            chunk = ready.poll();
            finish = chunk == null && ended;
            if (chunk == null && !finish) {
                if (paused) {
                    paused = false;
                    request.resume();
                }
                return;
            }
            writing = true;
            seq = nextSeq++;
        }
        Uni<Void> write = finish ? store.finish(body, received) : store.chunk(body, seq, chunk);
        write.subscribe().with(ok -> {
            if (finish) {
                settle(null);
                return;
            }
            synchronized (this) {
                writing = false;
            }
            writeNext();
        }, this::broken);
    }

    private void tooLarge() {
        request.response().putHeader("Connection", "close");
        fail(ProblemException.tooLarge("body", "the body exceeds cachekeeper.streamed-bodies.max-size ("
                + maxSize + " bytes)"));
    }

    private void broken(Throwable e) {
        synchronized (this) {
            if (settled) {
                return;
            }
        }
        fail(e);
    }

    private void fail(Throwable e) {
        settle(e);
    }

    private void settle(Throwable failure) {
        synchronized (this) {
            if (settled) {
                return;
            }
            settled = true;
            ready.clear();
            partial = Buffer.buffer();
        }
        if (failure == null) {
            done.complete(received);
            return;
        }
        // Nothing of a failed upload stays: its chunks go now (or, if the database is what failed, with the
        // purge after the timeout).
        store.discard(body).onFailure().recoverWithNull()
                .subscribe().with(v -> done.fail(failure), e -> done.fail(failure));
    }
}
