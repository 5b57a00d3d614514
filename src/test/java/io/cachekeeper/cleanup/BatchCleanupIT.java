package io.cachekeeper.cleanup;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BatchCleanupTest} replayed against the packaged artefact (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class BatchCleanupIT extends BatchCleanupTest {
}
