package io.cachekeeper.client.httpclient5;

import java.io.IOException;

import io.cachekeeper.client.CachekeeperService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What the storage tests run against: the real service, and a fresh counting origin per test class. */
abstract class OriginAndService {

    static CachekeeperService service;
    static Origin origin;

    @BeforeAll
    static void start() throws IOException {
        service = CachekeeperService.get();
        origin = new Origin();
    }

    @AfterAll
    static void stop() {
        origin.close();
    }
}
