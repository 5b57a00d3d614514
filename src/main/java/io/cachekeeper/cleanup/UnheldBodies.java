package io.cachekeeper.cleanup;

import jakarta.enterprise.context.ApplicationScoped;

import io.cachekeeper.body.BodyStore;
import io.cachekeeper.database.Database;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The end of every pass: streamed bodies that no entry holds and nobody touched for
 * {@code cachekeeper.streamed-bodies.upload-timeout} (uploads broken off or never taken by an entry, bodies a
 * replace let go of) are removed with their chunks, in batches of at most {@code batch-size} bodies, each its
 * own transaction. Bodies of purged entries do not wait for this: they go in the purge's own batch
 * (sql/purge.sql).
 */
@ApplicationScoped
public class UnheldBodies {

    private final BodyStore bodies;
    private final Database database;

    public UnheldBodies(BodyStore bodies, Database database) {
        this.bodies = bodies;
        this.database = database;
    }

    Uni<Void> run(PassProgress progress) {
        if (!progress.mayContinue()) {
            return Uni.createFrom().voidItem();
        }
        int size = progress.settings().batchSize();
        return database.session(connection -> Multi.createBy().repeating()
                .uni(() -> bodies.removeUnheld(connection, size).invoke(progress::bodiesRemoved))
                .whilst(removed -> removed == size && progress.mayContinue())
                .collect().last().replaceWithVoid());
    }
}
