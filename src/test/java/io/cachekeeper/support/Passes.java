package io.cachekeeper.support;

import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.cleanup.CleanupRunner;
import io.cachekeeper.cleanup.PassReport;
import io.cachekeeper.cleanup.PassSettings;
import io.cachekeeper.cleanup.Trigger;
import io.cachekeeper.config.CachekeeperConfig.Cleanup.Strategy;
import io.quarkus.arc.Arc;
import io.restassured.builder.ResponseBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Manual passes with the settings a test gives (batch size, strategy, workers, time budget), in the
 * service the test runs against: no test profile, hence no restart, for each set of settings. The pass
 * runs through the instance's one cleanup slot as {@code POST /admin/cleanup} runs it, and its report
 * comes back as that call answers it (200, the report as the service's JSON), so that a test asserts on
 * it as on the HTTP answer.
 */
public final class Passes {

    /** As long as RestAssured waits for a pass's answer (the test client's read timeout). */
    private static final Duration WAIT = Duration.ofSeconds(120);

    private Passes() {
    }

    /** The settings every pass of the service takes from its configuration. */
    public static PassSettings configured() {
        return runner().settings();
    }

    /** A manual pass with the configured settings as {@code change} changes them. */
    public static Response run(UnaryOperator<PassSettings> change) {
        return run(change.apply(configured()));
    }

    /**
     * The heap sweep forced, with batches of 10: a few hundred rows take many ranges, and a page holds more
     * eligible rows than a batch (the tests of the sweep against concurrent writers and a changing table).
     */
    public static Response smallHeapSweep() {
        return run(s -> s.withStrategy(Strategy.HEAP).withBatchSize(10));
    }

    /** A manual pass as {@code change} sets it, unless one already runs in this instance: its report, or empty. */
    public static Optional<PassReport> tryRun(UnaryOperator<PassSettings> change) {
        return runner().tryStart(Trigger.MANUAL, false, change.apply(configured())).map(pass -> pass.await().atMost(WAIT));
    }

    public static Response run(PassSettings settings) {
        PassReport report = runner().tryStart(Trigger.MANUAL, false, settings)
                .orElseThrow(() -> new AssertionError("a pass already runs in this instance"))
                .await().atMost(WAIT);
        try {
            String json = Arc.container().instance(ObjectMapper.class).get().writeValueAsString(report);
            return new ResponseBuilder().setStatusCode(200).setContentType(ContentType.JSON).setBody(json).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CleanupRunner runner() {
        return Arc.container().instance(CleanupRunner.class).get();
    }
}
