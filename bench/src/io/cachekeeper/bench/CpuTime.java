package io.cachekeeper.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes from {@code /proc/<pid>/stat}, in microseconds: steadier per call than
 * requests/s on a shared machine. For PostgreSQL, the postmaster and all its children (backends and
 * auxiliary processes), plus what exited children left in the postmaster's {@code cutime/cstime}, so
 * a connection that closes during a measurement still counts.
 */
final class CpuTime {

    /** USER_HZ: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    private static final long MICROS_PER_TICK = 10_000;

    private CpuTime() {
    }

    /** utime + stime of one process. */
    static long process(long pid) {
        long[] f = fields(pid);
        return f == null ? 0 : (f[13] + f[14]) * MICROS_PER_TICK;
    }

    /** The postmaster's own and its reaped children's CPU, plus every live child's. */
    static long postgres(long postmasterPid) throws IOException {
        long[] pm = fields(postmasterPid);
        long ticks = pm[13] + pm[14] + pm[15] + pm[16];
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                long[] f = fields(Long.parseLong(proc.getFileName().toString()));
                if (f != null && f[3] == postmasterPid) {
                    ticks += f[13] + f[14];
                }
            }
        }
        return ticks * MICROS_PER_TICK;
    }

    /** The parent of a process (a backend's parent is the postmaster). */
    static long parent(long pid) {
        return fields(pid)[3];
    }

    /** The numeric fields of /proc/pid/stat, indexed as in proc(5) minus one (field 14, utime, is [13]); null if gone. */
    private static long[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return null;
        }
        // The command name (field 2) may hold spaces; everything after its closing parenthesis is numeric or a state letter.
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long[] out = new long[rest.length + 2];
        out[0] = pid;
        for (int i = 0; i < rest.length; i++) {
            out[i + 2] = i == 0 ? 0 : rest[i].startsWith("-") ? Long.parseLong(rest[i]) : Long.parseUnsignedLong(rest[i]);
        }
        return out;
    }
}
