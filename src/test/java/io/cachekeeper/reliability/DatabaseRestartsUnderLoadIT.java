package io.cachekeeper.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.cachekeeper.support.AppProcess;
import io.cachekeeper.support.Entries;
import io.cachekeeper.support.Poll;
import io.cachekeeper.support.PostgresResource;
import io.cachekeeper.support.RestartablePostgres;

/**
 * PostgreSQL restarted again and again (a clean fast shutdown, then a crash: every process killed, open
 * connections reset) under eight clients calling every operation on two replicas. Every answer is a 2xx,
 * a 4xx the contract gives for what the client did, or a 503 problem+json with Retry-After; never a 500.
 * Nothing acknowledged is lost: every entry whose create was answered 201 exists afterwards, at least at
 * the last version a write answered.
 */
class DatabaseRestartsUnderLoadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 8;
    private static final int RESTARTS = 6;
    /** The load between two restarts (and after the last): enough calls of every operation to meet each state. */
    private static final int SUCCESSES_BETWEEN_RESTARTS = 60;
    private static final Set<Integer> BY_CONTRACT = Set.of(200, 201, 404, 409, 410, 412);

    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Acknowledged entries: id → the last version a write of it was answered with. */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String auth = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + PostgresResource.password("admin")).getBytes(StandardCharsets.UTF_8));

    @Test
    void restartsAnswer503NeverA500AndLoseNothingAcknowledged() throws Exception {
        try (RestartablePostgres db = new RestartablePostgres(Path.of("target", "restarts-pg")).durable()) {
            db.start();
            db.migrate();
            Map<String, String> env = db.appEnvironment();
            env.put("CACHEKEEPER_CLEANUP_INTERVAL", "2s");
            env.put("CACHEKEEPER_DATABASE_TIMEOUT", "3s");
            List<AppProcess> replicas = List.of(AppProcess.startWith("restarts-a", env),
                    AppProcess.startWith("restarts-b", env));
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> lost = new ArrayList<>();
            try {
                List<Future<?>> load = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    String base = replicas.get(c % replicas.size()).baseUrl();
                    int client = c;
                    load.add(clients.submit(() -> {
                        for (int i = 0; running.get(); i++) {
                            oneOfEachOperation(base, "restart-" + client + "-" + i);
                        }
                        return null;
                    }));
                }
                for (int r = 0; r < RESTARTS; r++) {
                    awaitSuccesses(SUCCESSES_BETWEEN_RESTARTS);
                    if (r % 2 == 0) {
                        db.stop();
                    } else {
                        db.crash();
                    }
                    Thread.sleep(500);
                    db.start();
                }
                awaitSuccesses(SUCCESSES_BETWEEN_RESTARTS);
                running.set(false);
                for (Future<?> f : load) {
                    f.get();
                }
                for (AppProcess replica : replicas) {
                    replica.awaitReady(Duration.ofSeconds(60));
                }
                checkNothingAcknowledgedWasLost(replicas.get(0).baseUrl(), lost);
            } finally {
                running.set(false);
                clients.shutdownNow();
                replicas.forEach(AppProcess::close);
            }
            System.out.println("answers under " + RESTARTS + " restarts: " + new TreeMap<>(statuses) + "; "
                    + acknowledged.size() + " entries acknowledged");
            assertEquals(List.of(), wrong, "answers outside the contract");
            assertEquals(List.of(), lost, "acknowledged writes lost");
            assertTrue(statuses.getOrDefault(503, 0) > 0, "no 503 at all: the restarts never met a call " + statuses);
            assertTrue(acknowledged.size() > 50, "too little work got through to say anything: " + statuses);
        }
    }

    /** Lets the load run until the clients have had {@code more} answers of 200 or 201 since now: work gets through. */
    private void awaitSuccesses(int more) {
        long target = successes() + more;
        Poll.until(Duration.ofSeconds(90), more + " more calls answered 200 or 201", () -> successes() >= target);
    }

    private long successes() {
        return statuses.getOrDefault(200, 0) + statuses.getOrDefault(201, 0);
    }

    private void checkNothingAcknowledgedWasLost(String base, List<String> lost) {
        acknowledged.forEach((id, version) -> {
            try {
                HttpResponse<String> r = call(base, "GET", "/entries/" + id, null, null);
                long now = r.statusCode() == 200 ? JSON.readTree(r.body()).path("version").asLong() : -1;
                if (now < version) {
                    lost.add(id + ": acknowledged at version " + version + ", now " + r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                lost.add(id + ": " + e);
            }
        });
    }

    /** Create, read, look up, replace with If-Match, refresh, delete, restore, delete by key, browse, stats. */
    private void oneOfEachOperation(String base, String key) {
        try {
            String id = UUID.randomUUID().toString();
            Map<String, Object> body = Entries.body(key);
            body.put("id", id);
            String json = JSON.writeValueAsString(body);
            JsonNode created = answer(call(base, "POST", "/entries", json, null), "create");
            if (created != null) {
                acknowledged.put(id, created.path("version").asLong());
            }
            answer(call(base, "GET", "/entries/" + id, null, null), "get");
            answer(call(base, "GET", "/entries?key=" + enc(key), null, null), "lookup");
            JsonNode current = answer(call(base, "GET", "/entries/" + id, null, null), "get");
            if (current != null) {
                body.remove("id");
                acked(id, answer(call(base, "PUT", "/entries/" + id, JSON.writeValueAsString(body),
                        "\"" + current.path("version").asLong() + "\""), "replace"));
            }
            acked(id, answer(call(base, "POST", "/entries/" + id + "/refresh", null, null), "refresh"));
            acked(id, answer(call(base, "DELETE", "/entries/" + id, null, null), "delete"));
            acked(id, answer(call(base, "POST", "/entries/" + id + "/restore", null, null), "restore"));
            answer(call(base, "DELETE", "/entries?key=" + enc(key), null, null), "delete by key");
            answer(call(base, "GET", "/admin/entries?key=" + enc(key) + "&limit=5", null, null), "browse");
            answer(call(base, "GET", "/admin/stats", null, null), "stats");
        } catch (java.io.IOException e) {
            wrong.add("no answer: " + e); // the replica itself must keep answering
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the answer; its body when it is a 2xx, else null. */
    private JsonNode answer(HttpResponse<String> r, String operation) throws java.io.IOException {
        statuses.merge(r.statusCode(), 1, Integer::sum);
        if (r.statusCode() == 503) {
            if (r.headers().firstValue("Retry-After").isEmpty()
                    || !r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
                wrong.add(operation + ": a 503 without Retry-After or problem+json: " + r.headers().map());
            }
        } else if (!BY_CONTRACT.contains(r.statusCode())) {
            wrong.add(operation + ": " + r.statusCode() + " " + r.body());
        }
        return r.statusCode() / 100 == 2 ? JSON.readTree(r.body()) : null;
    }

    private void acked(String id, JsonNode written) {
        if (written != null && written.has("version")) {
            acknowledged.merge(id, written.path("version").asLong(), Math::max);
        }
    }

    private HttpResponse<String> call(String base, String method, String target, String json, String ifMatch)
            throws java.io.IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
