package io.cachekeeper.body;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link StreamedBodyTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite,
 * docs/scale.md): bodies and chunks distributed with their entries.
 */
@QuarkusIntegrationTest
class StreamedBodyCitusIT extends StreamedBodyTest {
}
