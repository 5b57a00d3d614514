package io.cachekeeper.entry;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link UrlPrefixInvalidationTest} against the packaged artefact on a Citus cluster (the {@code -Pcitus} suite,
 * docs/scale.md).
 */
@QuarkusIntegrationTest
class UrlPrefixInvalidationCitusIT extends UrlPrefixInvalidationTest {
}
