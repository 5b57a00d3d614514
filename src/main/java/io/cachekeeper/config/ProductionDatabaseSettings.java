package io.cachekeeper.config;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * Production has no database defaults: start-up stops, before anything connects, when the database
 * URL, user or password is missing, naming the environment variable to set. The values are the
 * effective {@code quarkus.datasource.*} settings (whatever their source, "__unset__" when none); application.properties
 * points these properties at them in production only, and fills them with a placeholder in dev and
 * test, where the embedded database or the test resource provides the datasource.
 */
@ConfigMapping(prefix = "cachekeeper.required")
public interface ProductionDatabaseSettings {

    /** application.properties maps a missing setting to "__unset__" (an empty value would read as absent). */
    String NOT_UNSET = "^(?!__unset__$).+";

    @WithName("database-url")
    @Pattern(regexp = NOT_UNSET, message = "is missing: set QUARKUS_DATASOURCE_REACTIVE_URL (postgresql://host:5432/db); production has no default")
    String databaseUrl();

    @WithName("database-username")
    @Pattern(regexp = NOT_UNSET, message = "is missing: set QUARKUS_DATASOURCE_USERNAME; production has no default")
    String databaseUsername();

    @WithName("database-password")
    @Pattern(regexp = NOT_UNSET, message = "is missing: set QUARKUS_DATASOURCE_PASSWORD (e.g. from a Kubernetes Secret); production has no default")
    String databasePassword();
}
