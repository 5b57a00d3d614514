package io.cachekeeper.admin;

import static io.cachekeeper.support.Api.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.cachekeeper.support.Db;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.Seeded;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Grafana dashboard and the Prometheus alert rules under deploy/ name only metrics that the running
 * service exports: a renamed metric would silently empty a panel or never fire an alert.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DashboardMetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:cachekeeper|http_server|postgresql)_[a-z0-9_]+)");

    @Test
    void everyMetricTheDashboardAndAlertsNameIsExported() throws Exception {
        // Traffic of every kind, so that lazily registered series (HTTP, pool, purge) exist.
        Db.clear();
        Db.seed(5, "p-", Seeded.PURGEABLE);
        Entries.get(Entries.create("GET https://example.com/metrics")).then().statusCode(200);
        Entries.get("00000000-0000-4000-8000-000000000000").then().statusCode(404);
        Entries.cleanup().then().statusCode(200);
        String exported = given().get("/q/metrics").then().statusCode(200).extract().asString();

        Set<String> named = new TreeSet<>();
        for (String file : new String[] { "deploy/grafana/cachekeeper-dashboard.json",
                "deploy/prometheus/cachekeeper-alerts.yml" }) {
            Matcher m = METRIC.matcher(Files.readString(Path.of(file)));
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        assertTrue(named.size() >= 8, "metrics named: " + named);
        Set<String> missing = new TreeSet<>();
        for (String name : named) {
            if (exported.lines().noneMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "))) {
                missing.add(name);
            }
        }
        assertTrue(missing.isEmpty(), "named in deploy/ but not in /q/metrics: " + missing);
    }
}
