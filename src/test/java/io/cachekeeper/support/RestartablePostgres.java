package io.cachekeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL of its own for outage tests: stopped and started again on the same port with the
 * same data directory, like a database server that goes away and comes back.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;
    private boolean durable;

    public RestartablePostgres(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        if (Files.exists(dataDir)) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    /**
     * Commits as a production server makes them: zonky starts PostgreSQL with {@code synchronous_commit=off},
     * which loses the last commits acknowledged before a {@link #crash}.
     */
    public RestartablePostgres durable() {
        this.durable = true;
        return this;
    }

    public synchronized void start() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port);
        if (durable) {
            builder.setServerConfig("synchronous_commit", "on");
        }
        server = builder.start();
    }

    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * Kills (SIGKILL) the postmaster and every process under it, as a crash or an OOM kill would: open
     * connections are reset, not closed by the server. {@link #start} recovers the data directory.
     */
    public synchronized void crash() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.of(postmaster).ifPresent(p -> {
            processes.add(p);
            p.descendants().forEach(processes::add);
        });
        signal("KILL", processes.stream().map(ProcessHandle::pid).toList());
        for (ProcessHandle p : processes) {
            p.onExit().join();
        }
        stop(); // finds nothing to stop (logged), and releases the data directory's lock for the next start
    }

    /**
     * Stops (SIGSTOP) the server processes that serve the connections named {@code applicationName}: the
     * postmaster keeps accepting, those sessions stop answering. Returns how many were stopped.
     */
    public List<Long> suspendSessions(String applicationName) throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                        + applicationName + "'")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        signal("STOP", pids);
        return pids;
    }

    /** Stops (SIGSTOP) the whole server: the postmaster and every process under it. It accepts, but never answers. */
    public List<Long> suspend() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        signal("STOP", pids);
        return pids;
    }

    /** Continues (SIGCONT) processes {@link #suspend} or {@link #suspendSessions} stopped. */
    public void resume(List<Long> pids) {
        signal("CONT", pids);
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(pid.toString()));
        try {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(command + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
    }

    /** Rows in cache_entry; -1 while the server cannot answer (for polls across an outage). */
    public long rows() {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM cache_entry")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Creates the service's schema (its Flyway migrations), as the first replica would. */
    public void migrate() {
        Flyway.configure().dataSource(jdbcUrl(), "postgres", "postgres").load().migrate();
    }

    /** Adds {@code count} entries soft-deleted two days ago (purgeable), keys {@code prefix1…prefixN}. */
    public void insertPurgeable(String prefix, int count) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO cache_entry (id, cache_key, request_method, request_url, response_status,"
                    + " response_body, deleted_at) SELECT gen_random_uuid(), '" + prefix + "' || i, 'GET', 'u', 200,"
                    + " '\\x00', now() - interval '2 days' FROM generate_series(1, " + count + ") i");
        }
    }

    /** The environment of a replica ({@link AppProcess#startWith}) on this database, production credentials. */
    public Map<String, String> appEnvironment() {
        Map<String, String> env = new HashMap<>(PackagedApp.prodCredentials());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + port + "/postgres");
        return env;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
