package io.cachekeeper.recyclebin;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RecycleBinTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class RecycleBinCitusIT extends RecycleBinTest {
}
