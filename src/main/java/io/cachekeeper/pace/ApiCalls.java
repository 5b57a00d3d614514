package io.cachekeeper.pace;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Counts the calls of the cache API ({@code /entries}) as they arrive, so that a cleanup pass can tell
 * whether clients are being served while it runs and give way to them. Probes, metrics and admin calls
 * (the pass's own trigger among them) are not counted: they are not what the pass must not slow down.
 */
@ApplicationScoped
public class ApiCalls {

    private final LongAdder arrived = new LongAdder();

    void install(@Observes Router router) {
        router.route("/entries*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            arrive();
            ctx.next();
        });
    }

    /** One call arrived. */
    public void arrive() {
        arrived.increment();
    }

    /** Calls arrived since start-up; only its changes mean anything. */
    public long arrived() {
        return arrived.sum();
    }
}
