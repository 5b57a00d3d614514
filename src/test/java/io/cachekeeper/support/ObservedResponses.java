package io.cachekeeper.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Writes down every answer of the entries and admin API that a test sees through {@link Api} or
 * {@link AppProcess#api()}: method, path, status, media type, one line each, in the file the build
 * names in {@code observed-responses.file} (one per test JVM kind: unit tests, integration tests).
 * {@code OpenApiContractIT} checks each of them against the OpenAPI document, so the document
 * describes what the service really answers.
 */
public final class ObservedResponses implements Filter {

    public static final String FILE_PROPERTY = "observed-responses.file";
    /** A JVM-wide mark (Quarkus loads test classes once per application start): this JVM began its file. */
    private static final String STARTED_PROPERTY = "observed-responses.started";

    public static final ObservedResponses FILTER = new ObservedResponses();

    public record Observation(String method, String path, int status, String mediaType) {

        String line() {
            return method + "\t" + path + "\t" + status + "\t" + mediaType;
        }

        static Observation parse(String line) {
            String[] f = line.split("\t", -1);
            return new Observation(f[0], f[1], Integer.parseInt(f[2]), f[3]);
        }
    }

    private ObservedResponses() {
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext ctx) {
        Response answer = ctx.next(request, response);
        String file = System.getProperty(FILE_PROPERTY);
        String path = URI.create(request.getURI()).getRawPath();
        if (file != null && (path.startsWith("/entries") || path.startsWith("/admin"))) {
            String type = answer.getContentType() == null ? "" : answer.getContentType().split(";")[0].trim();
            append(Path.of(file), new Observation(request.getMethod(), path, answer.getStatusCode(), type));
        }
        return answer;
    }

    private static synchronized void append(Path file, Observation observation) {
        try {
            Files.createDirectories(file.getParent());
            boolean first = System.getProperty(STARTED_PROPERTY) == null;
            System.setProperty(STARTED_PROPERTY, "true");
            Files.writeString(file, observation.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every observation in the files next to this JVM's file (this run's unit and integration tests). */
    public static List<Observation> recorded() throws IOException {
        String file = System.getProperty(FILE_PROPERTY);
        List<Observation> all = new ArrayList<>();
        if (file == null || !Files.isDirectory(Path.of(file).getParent())) {
            return all;
        }
        try (Stream<Path> files = Files.list(Path.of(file).getParent())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tsv")).toList()) {
                Files.readAllLines(f).stream().filter(l -> !l.isBlank()).map(Observation::parse).forEach(all::add);
            }
        }
        return all;
    }
}
