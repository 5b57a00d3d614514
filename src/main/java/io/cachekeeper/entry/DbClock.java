package io.cachekeeper.entry;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The database's clock. Every timestamp cachekeeper writes or compares comes from here, so that
 * replicas with skewed JVM clocks agree. Inside a transaction PostgreSQL's {@code now()} is the
 * transaction's start time: the same instant for every statement of that transaction.
 */
@ApplicationScoped
public class DbClock {

    /** {@code now()} of the current session's transaction. Call inside a Panache session. */
    public Uni<OffsetDateTime> now() {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select now()", OffsetDateTime.class).getSingleResult());
    }
}
