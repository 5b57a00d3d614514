package io.cachekeeper.client;

import java.io.IOException;

/**
 * The same real service for test suites outside this JVM (clients/node): starts {@link CachekeeperService}
 * (the packaged jar on an embedded PostgreSQL), prints one line {@code READY <uri> <password> <database URL>} on standard
 * output, and stops both when standard input closes, so a test run that dies never leaves them behind.
 */
public final class ServiceLauncher {

    private ServiceLauncher() {
    }

    public static void main(String[] args) throws IOException {
        CachekeeperService service = CachekeeperService.get();
        System.out.println("READY " + service.uri() + " " + CachekeeperService.PASSWORD + " " + service.databaseUrl());
        System.out.flush();
        // Blocks until the parent closes the pipe (or exits); the shutdown hook stops the service and the database.
        while (System.in.read() != -1) {
            // nothing is expected on the pipe
        }
        System.exit(0);
    }
}
