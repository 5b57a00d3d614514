package io.cachekeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The kernel's view of this process's TCP connections ({@code /proc/net/tcp} and {@code tcp6}): which timer
 * each runs and when it fires. A connection with keep-alive on and nothing in flight runs its keep-alive
 * timer, set to fire after the keep-alive idle time (the socket's, or the kernel's default of two hours).
 */
public final class KeepAliveTimers {

    /** {@code /proc/net/tcp}'s timer kind of a keep-alive timer. */
    private static final int KEEPALIVE = 2;
    /** The clock ticks of its timer column: USER_HZ, 100 on Linux. */
    private static final int TICKS_PER_SECOND = 100;

    private KeepAliveTimers() {
    }

    /** A connection from {@code localPort} to {@code remotePort}, its timer's kind and seconds left. */
    public record Timer(int localPort, int remotePort, int kind, double secondsLeft) {

        public boolean keepAlive() {
            return kind == KEEPALIVE;
        }
    }

    /** This process's connections to {@code remotePort} from one of {@code localPorts}. */
    public static List<Timer> of(int remotePort, Set<Integer> localPorts) {
        Set<String> mine = socketInodes();
        List<Timer> out = new ArrayList<>();
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(file));
            } catch (IOException e) {
                continue; // no IPv6 here
            }
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                int local = port(f[1]);
                int remote = port(f[2]);
                String[] timer = f[5].split(":");
                if (remote == remotePort && localPorts.contains(local) && mine.contains(f[9])) {
                    out.add(new Timer(local, remote, Integer.parseInt(timer[0], 16),
                            Long.parseLong(timer[1], 16) / (double) TICKS_PER_SECOND));
                }
            }
        }
        return out;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    /** The inodes of this process's sockets. */
    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed since it was listed
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }
}
