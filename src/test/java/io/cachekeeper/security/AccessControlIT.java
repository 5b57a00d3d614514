package io.cachekeeper.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AccessControlTest} replayed against the packaged artefact (the jar here, the native binary with -Dnative). */
@QuarkusIntegrationTest
class AccessControlIT extends AccessControlTest {
}
