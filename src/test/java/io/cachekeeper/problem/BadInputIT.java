package io.cachekeeper.problem;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BadInputTest} replayed against the packaged artefact (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class BadInputIT extends BadInputTest {
}
