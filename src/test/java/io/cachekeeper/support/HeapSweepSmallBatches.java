package io.cachekeeper.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The heap sweep forced, with batches of 10: a few hundred rows take many ranges, and a page holds
 * more eligible rows than a batch. Shared by the tests of the sweep against concurrent writers and a
 * changing table, so that Quarkus (which orders test classes by profile) starts once for all of them.
 */
public class HeapSweepSmallBatches implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cachekeeper.cleanup.strategy", "heap", "cachekeeper.cleanup.batch-size", "10");
    }
}
