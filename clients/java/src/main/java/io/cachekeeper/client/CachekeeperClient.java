package io.cachekeeper.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * A client of cachekeeper's entries API on {@code java.net.http}: one call, one HTTP request. Thread-safe;
 * build one per service and share it. Every method throws {@link CachekeeperProblem} when the service
 * answers with an error and a plain {@link IOException} when it cannot be reached; the {@code *Async}
 * variants (those a non-blocking cache storage needs) fail their future with the same exceptions.
 *
 * <pre>{@code
 * CachekeeperClient cachekeeper = CachekeeperClient.builder(URI.create("http://cachekeeper:8080"))
 *         .credentials("writer", password).build();
 * Entry stored = cachekeeper.create(new NewEntry(null, "GET https://example.com/", request, response, null, 3600L));
 * }</pre>
 */
public final class CachekeeperClient {

    private static final TypeReference<List<Entry>> ENTRY_LIST = new TypeReference<>() {
    };
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");

    private final URI base;
    private final HttpClient http;
    private final String authorization;
    private final Duration requestTimeout;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private CachekeeperClient(Builder builder) {
        String root = builder.base.toString();
        this.base = URI.create(root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
        this.http = builder.http != null ? builder.http
                : HttpClient.newBuilder().connectTimeout(builder.connectTimeout).build();
        this.authorization = builder.user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((builder.user + ":" + builder.password).getBytes(StandardCharsets.UTF_8));
        this.requestTimeout = builder.requestTimeout;
    }

    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    /** {@code POST /entries}: stores a new entry; a taken id is a 409 problem. */
    public Entry create(NewEntry entry) throws IOException {
        return await(createAsync(entry));
    }

    public CompletableFuture<Entry> createAsync(NewEntry entry) {
        return send(request("/entries").POST(body(entry)).header("Content-Type", "application/json"), Entry.class);
    }

    /** {@code GET /entries/{id}}: the entry in any state, or empty once it is purged (or never was). */
    public Optional<Entry> get(UUID id) throws IOException {
        return await(getAsync(id));
    }

    public CompletableFuture<Optional<Entry>> getAsync(UUID id) {
        return send(request("/entries/" + id).GET(), Entry.class).handle((entry, failure) -> {
            if (failure == null) {
                return Optional.of(entry);
            }
            if (unwrap(failure) instanceof CachekeeperProblem p && p.status() == 404) {
                return Optional.empty();
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    /** {@code GET /entries?key=}: the first page of the live entries under {@code key}, with bodies. */
    public List<Entry> findByKey(String key) throws IOException {
        return findByKey(KeyLookup.of(key)).entries();
    }

    /** {@code GET /entries?key=}: one page; pass {@code page.next()} to {@link KeyLookup#after} for the next. */
    public Page findByKey(KeyLookup lookup) throws IOException {
        return await(findByKeyAsync(lookup));
    }

    public CompletableFuture<Page> findByKeyAsync(KeyLookup lookup) {
        StringBuilder query = new StringBuilder("/entries?key=").append(encode(lookup.key()))
                .append("&includeDeleted=").append(lookup.includeDeleted())
                .append("&includeExpired=").append(lookup.includeExpired())
                .append("&includeBody=").append(lookup.includeBody())
                .append("&limit=").append(lookup.limit());
        if (lookup.after() != null) {
            query.append("&after=").append(encode(lookup.after()));
        }
        return exchange(request(query.toString()).GET()).thenApply(response -> new Page(
                read(response.body(), ENTRY_LIST),
                response.headers().firstValue("Link").flatMap(CachekeeperClient::nextCursor)));
    }

    /**
     * {@code POST /bodies?key=}: uploads a response body as bytes, streamed from {@code body} as it is read (never
     * held whole here, nor base64-encoded); its id, for {@link EntryResponse#uploaded} in an entry of the same key.
     * No request timeout applies: the call lasts as long as the body takes to send.
     */
    public UUID uploadBody(String key, InputStream body) throws IOException {
        return await(uploadBodyAsync(key, BodyPublishers.ofInputStream(() -> body)));
    }

    public CompletableFuture<UUID> uploadBodyAsync(String key, BodyPublisher body) {
        HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(base + "/bodies?key=" + encode(key)))
                .header("Accept", "application/json").header("Content-Type", "application/octet-stream").POST(body);
        if (authorization != null) {
            upload.header("Authorization", authorization);
        }
        return send(upload, JsonNode.class).thenApply(answer -> UUID.fromString(answer.path("id").asText()));
    }

    /**
     * {@code GET /entries/{id}/body}: the entry's body as a stream, read from the service as the caller reads it
     * (close it when done). Works for any entry; a body uploaded as bytes can be read no other way.
     */
    public BodyStream readBody(UUID id) throws IOException {
        return await(readBodyAsync(id, null));
    }

    /** {@code GET /entries/{id}/body} with {@code Range: bytes=from-to}: bytes {@code from} to {@code to}, inclusive. */
    public BodyStream readBody(UUID id, long from, long to) throws IOException {
        return await(readBodyAsync(id, "bytes=" + from + "-" + to));
    }

    public CompletableFuture<BodyStream> readBodyAsync(UUID id, String range) {
        HttpRequest.Builder read = request("/entries/" + id + "/body").header("Accept", "application/octet-stream").GET();
        if (range != null) {
            read.header("Range", range);
        }
        return http.sendAsync(read.build(), BodyHandlers.ofInputStream()).thenApply(response -> {
            if (response.statusCode() >= 400) {
                byte[] problem;
                try (InputStream in = response.body()) {
                    problem = in.readAllBytes();
                } catch (IOException e) {
                    problem = new byte[0];
                }
                byte[] text = problem;
                throw new CompletionException(problem(new ProblemAnswer(response.statusCode(), text)));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long version = response.headers().firstValue("ETag").map(tag -> Long.parseLong(tag.replace("\"", ""))).orElse(-1L);
            return new BodyStream(response.body(), length, version);
        });
    }

    /**
     * {@code GET /entries/{id}/body} into memory, for a caller that needs the bytes whole anyway (HttpClient's
     * cache holds every entry as one byte array); empty when the entry is gone or no longer at {@code version}.
     */
    public CompletableFuture<Optional<byte[]>> readBodyAsync(UUID id, long version) {
        return http.sendAsync(request("/entries/" + id + "/body").header("Accept", "application/octet-stream").GET().build(),
                BodyHandlers.ofByteArray()).thenApply(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.empty();
                    }
                    if (response.statusCode() >= 400) {
                        throw new CompletionException(problem(response));
                    }
                    boolean same = response.headers().firstValue("ETag").filter(tag -> tag.equals("\"" + version + "\""))
                            .isPresent();
                    return same ? Optional.of(response.body()) : Optional.empty();
                });
    }

    /** {@code PUT /entries/{id}}; with {@code ifMatch}, only if the entry is still at that version (else 412). */
    public Entry replace(UUID id, NewEntry entry, OptionalLong ifMatch) throws IOException {
        return await(replaceAsync(id, entry, ifMatch));
    }

    public CompletableFuture<Entry> replaceAsync(UUID id, NewEntry entry, OptionalLong ifMatch) {
        // The id travels in the path (a body id would have to equal it).
        return send(conditional(request("/entries/" + id), ifMatch).PUT(body(entry.withId(null)))
                .header("Content-Type", "application/json"), Entry.class);
    }

    /** {@code POST /entries/{id}/refresh}: restarts the entry's TTL. */
    public Entry refresh(UUID id, OptionalLong ifMatch) throws IOException {
        return await(send(conditional(request("/entries/" + id + "/refresh"), ifMatch).POST(BodyPublishers.noBody()),
                Entry.class));
    }

    /** {@code DELETE /entries/{id}}: soft-deletes the entry (restorable during the grace period). */
    public Entry delete(UUID id, OptionalLong ifMatch) throws IOException {
        return await(deleteAsync(id, ifMatch));
    }

    public CompletableFuture<Entry> deleteAsync(UUID id, OptionalLong ifMatch) {
        return send(conditional(request("/entries/" + id), ifMatch).DELETE(), Entry.class);
    }

    /** {@code POST /entries/{id}/restore}: undoes a soft delete inside the grace period (else 409/410). */
    public Entry restore(UUID id, OptionalLong ifMatch) throws IOException {
        return await(send(conditional(request("/entries/" + id + "/restore"), ifMatch).POST(BodyPublishers.noBody()),
                Entry.class));
    }

    /** {@code DELETE /entries?key=}: soft-deletes every live entry under the key; how many. */
    public int deleteByKey(String key) throws IOException {
        return await(deleteByKeyAsync(key));
    }

    public CompletableFuture<Integer> deleteByKeyAsync(String key) {
        return send(request("/entries?key=" + encode(key)).DELETE(), JsonNode.class)
                .thenApply(answer -> answer.path("deleted").asInt());
    }

    /** {@code DELETE /entries?urlPrefix=}: soft-deletes every live entry whose request URL starts with the prefix. */
    public int deleteByUrlPrefix(String urlPrefix) throws IOException {
        return await(send(request("/entries?urlPrefix=" + encode(urlPrefix)).DELETE(), JsonNode.class)
                .thenApply(answer -> answer.path("deleted").asInt()));
    }

    /**
     * {@code DELETE /entries?tag=}: soft-deletes every live entry carrying any of the tags (exact,
     * case-sensitive); returns when cachekeeper has answered, with how many it deleted.
     */
    public long deleteByTags(String... tags) throws IOException {
        if (tags.length == 0) {
            throw new IllegalArgumentException("name at least one tag");
        }
        String query = java.util.Arrays.stream(tags).map(t -> "tag=" + encode(t))
                .collect(java.util.stream.Collectors.joining("&"));
        return await(send(request("/entries?" + query).DELETE(), JsonNode.class)
                .thenApply(answer -> answer.path("deleted").asLong()));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(requestTimeout).header("Accept", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpRequest.Builder conditional(HttpRequest.Builder request, OptionalLong ifMatch) {
        ifMatch.ifPresent(version -> request.header("If-Match", "\"" + version + "\""));
        return request;
    }

    private BodyPublisher body(Object value) {
        try {
            return BodyPublishers.ofByteArray(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private <T> CompletableFuture<T> send(HttpRequest.Builder request, Class<T> type) {
        return exchange(request).thenApply(response -> read(response.body(), json.constructType(type)));
    }

    private <T> T read(byte[] body, TypeReference<T> type) {
        return read(body, json.constructType(type));
    }

    private <T> T read(byte[] body, JavaType type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** One request; an error answer fails the future with its {@link CachekeeperProblem}. */
    private CompletableFuture<HttpResponse<byte[]>> exchange(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() >= 400) {
                throw new CompletionException(problem(response));
            }
            return response;
        });
    }

    /**
     * Waits for a call of an {@code *Async} method; its failure comes out as the {@link IOException} (or runtime
     * exception) it was.
     */
    public static <T> T await(CompletableFuture<T> call) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for cachekeeper");
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** The failure behind the future's wrappers. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private CachekeeperProblem problem(HttpResponse<byte[]> response) {
        return problem(new ProblemAnswer(response.statusCode(), response.body()));
    }

    private CachekeeperProblem problem(ProblemAnswer answer) {
        try {
            JsonNode body = json.readTree(answer.body());
            return new CachekeeperProblem(answer.status(), body.path("title").asText(null),
                    body.path("detail").asText(null), body.path("field").asText(null));
        } catch (IOException | RuntimeException notAProblem) {
            return new CachekeeperProblem(answer.status(), null, null, null);
        }
    }

    private record ProblemAnswer(int status, byte[] body) {
    }

    private static Optional<String> nextCursor(String link) {
        Matcher m = NEXT_LINK.matcher(link);
        if (!m.find()) {
            return Optional.empty();
        }
        String query = URI.create(m.group(1)).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith("after=")) {
                return Optional.of(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Where the service is, who calls it, how long to wait. */
    public static final class Builder {

        private final URI base;
        private String user;
        private String password;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private HttpClient http;

        private Builder(URI base) {
            this.base = base;
        }

        /** HTTP Basic credentials: a user with the reader role reads, writer writes. */
        public Builder credentials(String user, String password) {
            this.user = user;
            this.password = password;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long one call may take before it fails (default 5 s): a cache must not wait long. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** A {@link HttpClient} of your own (proxy, TLS, executor); the connect timeout is then its own. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public CachekeeperClient build() {
            return new CachekeeperClient(this);
        }
    }
}
