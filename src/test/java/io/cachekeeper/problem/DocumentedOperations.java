package io.cachekeeper.problem;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The operations of an OpenAPI document (as JSON), found by method and concrete path, with their answers. */
final class DocumentedOperations {

    private final JsonNode document;
    private final Map<String, JsonNode> byName = new HashMap<>();
    private final Map<Pattern, String> templates = new HashMap<>();

    DocumentedOperations(JsonNode document) {
        this.document = document;
        document.path("paths").fields().forEachRemaining(path -> {
            templates.put(Pattern.compile(path.getKey().replaceAll("\\{[^}]+}", "[^/]+")), path.getKey());
            path.getValue().fields()
                    .forEachRemaining(op -> byName.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue()));
        });
    }

    /** The operation's name, or empty for a path or method the API does not have (404/405 of the router). */
    Optional<String> find(String method, String path) {
        return templates.entrySet().stream().filter(t -> t.getKey().matcher(path).matches())
                .map(t -> method + " " + t.getValue()).filter(byName::containsKey).findFirst();
    }

    /** The media type documented for an operation's answer, or null when the answer is not documented. */
    String mediaType(String operation, int status) {
        JsonNode answer = byName.get(operation).path("responses").path(String.valueOf(status));
        JsonNode content = resolve(document, answer).path("content");
        return content.isMissingNode() ? null : content.fieldNames().next();
    }

    /** Every documented answer, as "METHOD /path status". */
    Set<String> documentedAnswers() {
        Set<String> answers = new TreeSet<>();
        byName.forEach((name, op) -> op.path("responses").fieldNames().forEachRemaining(s -> answers.add(name + " " + s)));
        return answers;
    }

    int count() {
        return byName.size();
    }

    /** A response, or the component it refers to ({@code $ref: #/components/responses/X}). */
    static JsonNode resolve(JsonNode document, JsonNode response) {
        String ref = response.path("$ref").asText("");
        return ref.startsWith("#/") ? document.at(ref.substring(1)) : response;
    }
}
