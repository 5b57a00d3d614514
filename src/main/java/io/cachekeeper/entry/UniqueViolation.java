package io.cachekeeper.entry;

import io.vertx.pgclient.PgException;

/** PostgreSQL's unique_violation (23505), however Hibernate Reactive wraps it. */
final class UniqueViolation {

    private UniqueViolation() {
    }

    static boolean is(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException c
                    && c.getKind() == org.hibernate.exception.ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }
}
