package io.cachekeeper.entry;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CreateAndGetTest} replayed against the packaged artefact (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class CreateAndGetIT extends CreateAndGetTest {
}
