package io.cachekeeper.http;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.cachekeeper.config.CachekeeperConfig;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Ties Vert.x's request-body limit ({@code quarkus.http.limits.max-body-size}) to
 * {@code cachekeeper.max-body-size}: the HTTP server then cuts a chunked body at the largest request
 * that can carry an allowed entry ({@link BodyLimits}), before it is buffered whole. An explicit
 * {@code quarkus.http.limits.max-body-size} anywhere else still wins (this source's ordinal is low). It
 * also sets Vert.x's limits of the request head above the service's own ({@link RequestHeadLimits}).
 */
public class BodyLimitConfigSource implements ConfigSourceFactory {

    static final int ORDINAL = 150; // below application.properties (250), env (300), system properties (400)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue configured = context.getValue("cachekeeper.max-body-size");
        String value = configured == null || configured.getValue() == null
                ? CachekeeperConfig.DEFAULT_MAX_BODY_SIZE
                : configured.getValue();
        long max;
        try {
            max = new MemorySizeConverter().convert(value).asLongValue();
        } catch (RuntimeException e) {
            return List.of(); // the config mapping reports the bad value, naming the property
        }
        Map<String, String> limits = new java.util.HashMap<>(RequestHeadLimits.vertxLimits());
        limits.put("quarkus.http.limits.max-body-size", String.valueOf(BodyLimits.requestLimit(max)));
        return List.of(new PropertiesConfigSource(limits, "cachekeeper-http-limits", ORDINAL));
    }
}
