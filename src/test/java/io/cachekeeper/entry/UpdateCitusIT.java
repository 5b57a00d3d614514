package io.cachekeeper.entry;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link UpdateTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class UpdateCitusIT extends UpdateTest {
}
