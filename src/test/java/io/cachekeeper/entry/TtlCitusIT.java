package io.cachekeeper.entry;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TtlTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class TtlCitusIT extends TtlTest {
}
