package io.cachekeeper.problem;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * The error side of the OpenAPI document, in one place (registered as {@code mp.openapi.filter}): every
 * error answer of every operation is {@code application/problem+json} with the {@link Problem} schema,
 * and the answers that every operation can give are added to each (no credentials 401, an Accept
 * without JSON 406, an unexpected failure 500, and 403 naming the role a secured operation needs), as
 * are those that come with a parameter (404 with an entry's id, 412 with If-Match, and 400 for a
 * malformed id or If-Match where the operation has no 400 of its own). The operations' own
 * annotations name the statuses that are theirs.
 */
public class OpenApiProblems implements OASFilter {

    static final String SCHEMA = "Problem";

    /** The 503 of an operation that needs the database (problem/DatabaseUnavailable decides when). */
    public static final String DATABASE_UNAVAILABLE = "the database is unavailable (Retry-After)";

    private static final Map<String, String> SHARED = Map.of(
            "401", "no or wrong credentials (HTTP Basic; WWW-Authenticate)",
            "414", "the request line exceeds 208 KiB (http/RequestHeadLimits)",
            "431", "the header lines exceed 20 KiB (http/RequestHeadLimits)",
            "406", "the Accept header excludes application/json",
            "500", "an unexpected failure (logged; no details in the answer)");

    /**
     * Answers that come with a parameter, whatever the operation: an entry named by its id in the path
     * may not exist, and a write conditioned by If-Match may find another version.
     */
    private static final List<ParameterAnswer> BY_PARAMETER = List.of(
            new ParameterAnswer(Parameter.In.PATH, "id", "404", "no such entry (never stored, or purged)"),
            new ParameterAnswer(Parameter.In.HEADER, "If-Match", "412", "If-Match does not name the entry's current version"));

    private static final ParameterAnswer MALFORMED_ID = new ParameterAnswer(Parameter.In.PATH, "id", "400",
            "the id is not a UUID");
    private static final ParameterAnswer MALFORMED_IF_MATCH = new ParameterAnswer(Parameter.In.HEADER, "If-Match",
            "400", "If-Match is malformed");

    private record ParameterAnswer(Parameter.In in, String name, String status, String description) {

        boolean appliesTo(Operation operation) {
            return operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> p.getIn() == in && name.equalsIgnoreCase(p.getName()));
        }
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getComponents().addSchema(SCHEMA, problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(this::complete));
    }

    private void complete(Operation operation) {
        APIResponses responses = operation.getResponses();
        SHARED.forEach((status, description) -> responses.addAPIResponse(status,
                OASFactory.createAPIResponse().description(description)));
        BY_PARAMETER.stream().filter(answer -> answer.appliesTo(operation)).forEach(answer -> responses
                .addAPIResponse(answer.status(), OASFactory.createAPIResponse().description(answer.description())));
        if (!responses.hasAPIResponse("400")) {
            // No 400 of its own (no body, no query to check): what can be malformed is the id and If-Match.
            List<String> malformed = Stream.of(MALFORMED_ID, MALFORMED_IF_MATCH).filter(p -> p.appliesTo(operation))
                    .map(ParameterAnswer::description).toList();
            if (!malformed.isEmpty()) {
                responses.addAPIResponse("400", OASFactory.createAPIResponse().description(String.join(", or ", malformed)));
            }
        }
        List<String> roles = roles(operation);
        if (roles.equals(List.of("reader"))) {
            // Every user of this service holds the reader role, so an operation for readers is never forbidden
            // (the security scan adds 403 to every secured operation).
            responses.removeAPIResponse("403");
        } else if (!roles.isEmpty()) {
            // The one reason for a 403, said once for every operation from its @RolesAllowed.
            responses.addAPIResponse("403", OASFactory.createAPIResponse()
                    .description("the user lacks the " + String.join(" or ", roles) + " role"));
        }
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.charAt(0) == '4' || status.charAt(0) == '5') {
                asProblem(response);
            }
        });
    }

    /** The roles an operation allows (its {@code @RolesAllowed}, as the security scan wrote them). */
    private static List<String> roles(Operation operation) {
        List<SecurityRequirement> security = operation.getSecurity();
        if (security == null) {
            return List.of();
        }
        return security.stream().flatMap(requirement -> requirement.getSchemes().values().stream())
                .flatMap(List::stream).distinct().toList();
    }

    private static void asProblem(APIResponse response) {
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
        response.setContent(content);
    }

    private static Schema problemSchema() {
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("An RFC 9457 problem detail: the one error shape of the API")
                .addProperty("type", string("a URI naming the problem type; about:blank"))
                .addProperty("title", string("the HTTP status's reason phrase"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                        .description("the HTTP status code"))
                .addProperty("detail", string("what went wrong, for a human"))
                .addProperty("instance", string("the request path"))
                .addProperty("field", string("the offending input, when there is one: a JSON path such as "
                        + "response.status, a query or path parameter, or a header"))
                .required(List.of("type", "title", "status"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
