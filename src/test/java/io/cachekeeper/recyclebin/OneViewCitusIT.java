package io.cachekeeper.recyclebin;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OneViewTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite, docs/scale.md). */
@QuarkusIntegrationTest
class OneViewCitusIT extends OneViewTest {
}
