package io.cachekeeper.admin;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link DeletionHistoryTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class DeletionHistoryCitusIT extends DeletionHistoryTest {
}
