package io.cachekeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Citus cluster for the {@code -Pcitus} suite: a coordinator and two workers, each a PostgreSQL
 * started from the installation that {@code CACHEKEEPER_CITUS_PG_BIN} names (its {@code bin} directory, with
 * Citus installed into it; docs/scale.md says how to get one), data under {@code target/citus-cluster}.
 * As root, every server runs under {@code unshare -U}, as the embedded PostgreSQL of the other tests does:
 * PostgreSQL refuses to run as root.
 */
public final class CitusCluster {

    /** The environment variable that names the bin directory of a PostgreSQL with Citus. */
    public static final String BIN_VARIABLE = "CACHEKEEPER_CITUS_PG_BIN";

    private final Path bin;
    private final Path base;
    private final List<Node> nodes = new ArrayList<>();

    private record Node(Path dataDir, int port) {
    }

    private CitusCluster(Path bin, Path base) {
        this.bin = bin;
        this.base = base;
    }

    /** Whether this test run is against Citus: the suite's property names the bin directory. */
    public static boolean requested() {
        return binDirectory() != null;
    }

    private static String binDirectory() {
        String bin = System.getProperty("cachekeeper.test.citus-bin", System.getenv(BIN_VARIABLE));
        return bin == null || bin.isBlank() ? null : bin;
    }

    /** Starts a coordinator and two workers and joins them; stopped when the JVM exits. */
    public static CitusCluster start() {
        if (!requested()) {
            throw new IllegalStateException(BIN_VARIABLE + " must name the bin directory of a PostgreSQL with Citus"
                    + " installed, such as /usr/lib/postgresql/15/bin (docs/scale.md)");
        }
        CitusCluster cluster = new CitusCluster(Path.of(binDirectory()), Path.of("target", "citus-cluster").toAbsolutePath());
        try {
            cluster.startNodes(3);
            cluster.join();
        } catch (IOException | SQLException e) {
            cluster.stop();
            throw new IllegalStateException("Starting the Citus cluster failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop));
        return cluster;
    }

    public int coordinatorPort() {
        return nodes.get(0).port();
    }

    public List<Integer> workerPorts() {
        return nodes.subList(1, nodes.size()).stream().map(Node::port).toList();
    }

    public Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres");
    }

    private void startNodes(int count) throws IOException, InterruptedException {
        if (Files.exists(base)) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(base);
        for (int i = 0; i < count; i++) {
            Path dir = base.resolve("node" + i);
            int port = freePort();
            run(List.of(bin.resolve("initdb").toString(), "-D", dir.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8"), base.resolve("initdb" + i + ".log"));
            Files.writeString(dir.resolve("postgresql.auto.conf"), """
                    port = %d
                    listen_addresses = 'localhost'
                    unix_socket_directories = '%s'
                    shared_preload_libraries = 'citus'
                    max_connections = 300
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    """.formatted(port, dir));
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "start"), base.resolve("start" + i + ".log"));
            nodes.add(new Node(dir, port));
        }
    }

    private void join() throws SQLException {
        for (Node node : nodes) {
            try (Connection c = connect(node.port()); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION citus");
            }
        }
        try (Connection c = connect(coordinatorPort()); Statement s = c.createStatement()) {
            s.execute("SELECT citus_set_coordinator_host('127.0.0.1', " + coordinatorPort() + ")");
            for (int port : workerPorts()) {
                s.execute("SELECT citus_add_node('127.0.0.1', " + port + ")");
            }
        }
    }

    /** Stops worker {@code i} (0 or 1) at once, as a crash would: its connections are refused until {@link #startWorker}. */
    public void stopWorker(int i) {
        Node node = nodes.get(1 + i);
        pgCtl(List.of("-D", node.dataDir().toString(), "-m", "immediate", "stop"), "stop-worker" + i + ".log");
    }

    /** Starts worker {@code i} again after {@link #stopWorker}, with its data. */
    public void startWorker(int i) {
        Node node = nodes.get(1 + i);
        pgCtl(List.of("-D", node.dataDir().toString(), "-l", node.dataDir().resolve("server.log").toString(), "-w",
                "start"), "start-worker" + i + ".log");
    }

    private void pgCtl(List<String> args, String log) {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve("pg_ctl").toString());
        command.addAll(args);
        try {
            run(command, base.resolve(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every server at once (their data is thrown away with the next start). */
    public void stop() {
        for (Node node : nodes) {
            try {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", node.dataDir().toString(), "-m", "immediate", "stop"),
                        base.resolve("stop.log"));
            } catch (IOException | RuntimeException e) {
                // stopped already, or going away with the JVM
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.clear();
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + Files.readString(log));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
