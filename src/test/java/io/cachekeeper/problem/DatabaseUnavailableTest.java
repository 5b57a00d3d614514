package io.cachekeeper.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.cachekeeper.database.DatabaseTimeoutException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;

/** Which failures are "the database cannot answer" (503) and which are bugs (500), on their own. */
class DatabaseUnavailableTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "ERROR", sqlState, null);
    }

    @Test
    void unreachableSlowOrRefusingDatabasesAreUnavailable() {
        assertTrue(DatabaseUnavailable.is(new ConnectException("refused")));
        assertTrue(DatabaseUnavailable.is(new CompletionException(new ConnectException("refused"))), "found among the causes");
        assertTrue(DatabaseUnavailable.is(new ConnectionPoolTooBusyException("queue full")));
        assertTrue(DatabaseUnavailable.is(new java.net.SocketException("Connection reset")), "reset by peer (NIO)");
        assertTrue(DatabaseUnavailable.is(new java.io.IOException("recvAddress(..) failed: Connection reset by peer")),
                "reset by peer (epoll: Netty's NativeIoException is an IOException)");
        assertTrue(DatabaseUnavailable.is(new java.nio.channels.ClosedChannelException()));
        assertTrue(DatabaseUnavailable.is(new java.net.UnknownHostException("db.example")));
        for (String state : new String[] { "08006", "57P01", "57P03", "53300", "57014", "25006" }) {
            assertTrue(DatabaseUnavailable.is(pg(state)), state);
            assertTrue(DatabaseUnavailable.is(new RuntimeException(new java.sql.SQLException("m", state))),
                    state + " as Hibernate Reactive reports it (a SQLException without the client's exception)");
        }
        assertTrue(DatabaseUnavailable.is(new RuntimeException(
                new io.vertx.core.impl.NoStackTraceThrowable("Connection is not active now, current status: CLOSED"))),
                "a statement handed to a closed connection, as Hibernate Reactive passes it on");
    }

    @Test
    void ourOwnBoundAndAPoolOfClosedConnectionsAreUnavailable() {
        assertTrue(DatabaseUnavailable.is(new DatabaseTimeoutException(java.time.Duration.ofSeconds(5))));
        assertTrue(DatabaseUnavailable.is(new RuntimeException(io.cachekeeper.database.ClosedInPoolException.INSTANCE)));
    }

    @Test
    void statementErrorsAreNotUnavailableWhateverTheirMessage() {
        assertFalse(DatabaseUnavailable.is(pg("23505")), "unique violation");
        assertFalse(DatabaseUnavailable.is(pg("42P01")), "undefined table");
        assertFalse(DatabaseUnavailable.is(pg("22021")), "a character the encoding cannot hold");
        assertFalse(DatabaseUnavailable.is(new java.sql.SQLException("m", "23505")), "unique violation, as a SQLException");
        assertFalse(DatabaseUnavailable.is(new IllegalStateException("connection refused")));
        assertFalse(DatabaseUnavailable.is(new PgException("no state", "ERROR", null, null)));
    }
}
