package io.cachekeeper.cleanup;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link SoftDeletionGracePeriodTest} replayed against the packaged artefact (the jar here, the native binary with -Dnative).
 */
@QuarkusIntegrationTest
class SoftDeletionGracePeriodIT extends SoftDeletionGracePeriodTest {
}
