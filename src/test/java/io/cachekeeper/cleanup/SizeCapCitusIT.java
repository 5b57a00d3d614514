package io.cachekeeper.cleanup;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SizeCapTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class SizeCapCitusIT extends SizeCapTest {
}
