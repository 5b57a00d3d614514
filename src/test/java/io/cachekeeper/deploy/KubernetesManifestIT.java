package io.cachekeeper.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The manifests quarkus-kubernetes generated at package time: replicas, probes, env wiring, scraping. */
class KubernetesManifestIT {

    private static final List<JsonNode> RESOURCES = new ArrayList<>();

    @BeforeAll
    static void read() throws Exception {
        Path file = Path.of("target", "kubernetes", "kubernetes.yml");
        assertTrue(Files.exists(file), "not generated: " + file);
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    RESOURCES.add(doc);
                }
            }
        }
    }

    private static JsonNode resource(String kind) {
        return RESOURCES.stream().filter(r -> kind.equals(r.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in kubernetes.yml"));
    }

    private static JsonNode container() {
        return resource("Deployment").at("/spec/template/spec/containers/0");
    }

    @Test
    void deploymentRunsTwoReplicas() {
        assertEquals(2, resource("Deployment").at("/spec/replicas").asInt());
        assertEquals("cachekeeper", resource("Deployment").at("/metadata/name").asText());
        assertTrue(container().path("image").asText().contains("cachekeeper/cachekeeper:"), container().toString());
    }

    @Test
    void replicasMigrateThemselvesUnderFlywaysLock() {
        // No separate migration Job: each replica runs Flyway at start (ConcurrentStartMigrationIT).
        assertTrue(RESOURCES.stream().noneMatch(r -> "Job".equals(r.path("kind").asText())));
        container().path("env")
                .forEach(e -> assertTrue(!"QUARKUS_FLYWAY_ACTIVE".equals(e.path("name").asText()), e.toString()));
    }

    @Test
    void probesComeFromHealth() {
        assertEquals("/q/health/live", container().at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container().at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container().at("/startupProbe/httpGet/path").asText());
        assertEquals(30, container().at("/startupProbe/failureThreshold").asInt());
        // Readiness answers within cachekeeper.database.timeout (default 5s) when the database hangs: the probe
        // must wait longer than that, or a hung database would read as a hung pod.
        assertTrue(container().at("/readinessProbe/timeoutSeconds").asInt() > 5,
                "readiness probe timeout " + container().at("/readinessProbe/timeoutSeconds"));
    }

    @Test
    void configFromTheConfigMapAndCredentialsFromTheSecret() {
        List<String> configMaps = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        container().path("envFrom").forEach(source -> {
            if (source.has("configMapRef")) {
                configMaps.add(source.at("/configMapRef/name").asText());
            }
            if (source.has("secretRef")) {
                secrets.add(source.at("/secretRef/name").asText());
            }
        });
        assertEquals(List.of("cachekeeper-config"), configMaps);
        assertEquals(List.of("cachekeeper-credentials"), secrets);

        JsonNode data = resource("ConfigMap").path("data");
        assertEquals("cachekeeper-config", resource("ConfigMap").at("/metadata/name").asText());
        // Production has no database defaults: the ConfigMap must supply the URL and user, the Secret the password.
        assertNotNull(data.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertNotNull(data.get("QUARKUS_DATASOURCE_USERNAME"));
        data.fieldNames().forEachRemaining(name -> {
            assertTrue(!name.contains("PASSWORD"), "credentials belong in the Secret: " + name);
            // Defaults live in CachekeeperConfig; a copy here would pin them when they change.
            assertTrue(!name.startsWith("CACHEKEEPER_"), "a pinned default in the ConfigMap: " + name);
        });
    }

    @Test
    void resourcesArePresentAndScrapedByPrometheus() {
        assertEquals("384Mi", container().at("/resources/requests/memory").asText());
        assertEquals("768Mi", container().at("/resources/limits/memory").asText());
        assertEquals("250m", container().at("/resources/requests/cpu").asText());
        JsonNode annotations = resource("Deployment").at("/spec/template/metadata/annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText(), annotations.toString());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        assertEquals(8080, resource("Service").at("/spec/ports/0/targetPort").asInt());
    }

    @Test
    void aDisruptionBudgetKeepsAReplicaAnsweringWhileNodesAreDrained() {
        JsonNode budget = resource("PodDisruptionBudget");
        JsonNode podLabels = resource("Deployment").at("/spec/template/metadata/labels");
        JsonNode selector = budget.at("/spec/selector/matchLabels");
        assertTrue(selector.size() > 0, budget.toString());
        selector.fields().forEachRemaining(label -> assertEquals(label.getValue().asText(),
                podLabels.path(label.getKey()).asText(), "the budget selects the Deployment's pods: " + label.getKey()));
        int replicas = resource("Deployment").at("/spec/replicas").asInt();
        int minAvailable = budget.at("/spec/minAvailable").asInt();
        assertTrue(minAvailable >= 1 && minAvailable < replicas,
                "one replica may go, one stays: minAvailable " + minAvailable + " of " + replicas);
    }
}
