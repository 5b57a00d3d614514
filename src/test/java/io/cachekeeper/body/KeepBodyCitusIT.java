package io.cachekeeper.body;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link KeepBodyTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class KeepBodyCitusIT extends KeepBodyTest {
}
