package io.cachekeeper.openapi;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import io.cachekeeper.entry.EntryState;
import io.cachekeeper.entry.Tags;
import io.cachekeeper.entry.api.EntryInput;
import io.cachekeeper.entry.api.RequestPart;
import io.cachekeeper.entry.api.ResponsePart;
import io.cachekeeper.http.StrictQuery;
import io.cachekeeper.http.TextRules;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The input rules the service enforces, written into the OpenAPI document from where they are defined, so that a
 * client generator or a fuzzer sees exactly what is refused: the query's rules ({@link StrictQuery}: no empty value,
 * at most {@link TextRules#MAX_TEXT} characters, no control character), times as RFC 3339 date-times, the names of
 * states and orders, tags ({@link Tags}), the {@code If-Match} grammar, the text rules of the JSON body
 * ({@link TextRules}) and that its objects take no member they do not declare
 * ({@code quarkus.jackson.fail-on-unknown-properties}).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class InputRulesDocument implements OASFilter {

    /** RFC 9110's If-Match: {@code *}, or a list of entity tags (empty elements allowed around commas). */
    static final String IF_MATCH_PATTERN = "^[ \\t]*(\\*|[ \\t,]*(W/)?\"[!#-~]*\"([ \\t]*,[ \\t,]*(W/)?\"[!#-~]*\")*[ \\t,]*)[ \\t]*$";

    private static final String REPLACEMENT = "EntryReplacement";

    private static final List<String> TIMES = List.of("createdAfter", "createdBefore", "deletedAfter", "deletedBefore");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        closed(schemas.get(EntryInput.class.getSimpleName()));
        closed(schemas.get(RequestPart.class.getSimpleName()));
        closed(schemas.get(ResponsePart.class.getSimpleName()));
        Schema input = schemas.get(EntryInput.class.getSimpleName());
        input.getProperties().get("cacheKey").maxLength(TextRules.MAX_TEXT).pattern(TextRules.PLAIN_NOT_BLANK_PATTERN);
        input.getProperties().get("tags").items(tag()).maxItems(64)
                .description("tags for invalidation by tag, at most cachekeeper.tags.max-per-entry (64 by default); "
                        + "absent: taken from the response headers named by cachekeeper.tags.from-headers");
        Schema request = schemas.get(RequestPart.class.getSimpleName());
        request.getProperties().get("method").maxLength(RequestPart.MAX_METHOD).pattern(TextRules.PLAIN_NOT_BLANK_PATTERN);
        request.getProperties().get("url").maxLength(TextRules.MAX_TEXT).pattern(TextRules.PLAIN_NOT_BLANK_PATTERN);
        headers(request.getProperties().get("headers"));
        headers(schemas.get(ResponsePart.class.getSimpleName()).getProperties().get("headers"));

        if (openAPI.getPaths() == null) {
            return;
        }
        // A replace takes the entry's id from its path: its body is an entry without one (the service also takes the
        // same id in the body, and refuses another).
        var replace = openAPI.getPaths().getPathItem("/entries/{id}");
        if (replace != null && replace.getPUT() != null && replace.getPUT().getRequestBody() != null) {
            Schema replacement = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                    .required(input.getRequired()).additionalPropertiesBoolean(false)
                    .description("an entry's new content: an entry as POST /entries takes it, without its id");
            input.getProperties().forEach((name, property) -> {
                if (!name.equals("id")) {
                    replacement.addProperty(name, property);
                }
            });
            openAPI.getComponents().addSchema(REPLACEMENT, replacement);
            replace.getPUT().getRequestBody().getContent().getMediaTypes().values()
                    .forEach(media -> media.schema(OASFactory.createSchema().ref(REPLACEMENT)));
        }
        // An upload of no bytes is the body of an empty response: the request body may be absent.
        var upload = openAPI.getPaths().getPathItem("/bodies");
        if (upload != null && upload.getPOST() != null && upload.getPOST().getRequestBody() != null) {
            upload.getPOST().getRequestBody().required(false);
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> rules(path, parameter));
            }
        }));
    }

    private static void rules(String path, Parameter parameter) {
        Schema schema = parameter.getSchema();
        if (schema == null) {
            return;
        }
        String name = parameter.getName();
        if (parameter.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase("If-Match")) {
            schema.minLength(1).pattern(IF_MATCH_PATTERN);
        } else if (parameter.getIn() == Parameter.In.QUERY && name.equals("tag")) {
            schema.items(tag());
        } else if (parameter.getIn() == Parameter.In.QUERY && name.equals("state")) {
            schema.items(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                    .enumeration(Arrays.stream(EntryState.values()).map(s -> (Object) s.json()).toList()));
        } else if (parameter.getIn() == Parameter.In.QUERY && name.equals("sort")) {
            schema.enumeration(List.of("deletedAt", "createdAt"));
        } else if (parameter.getIn() == Parameter.In.QUERY && TIMES.contains(name)) {
            schema.format("date-time");
        } else if (parameter.getIn() == Parameter.In.QUERY && name.equals("key") && path.equals("/bodies")) {
            // An upload's key is the cacheKey of the entry that takes it: its rules.
            schema.minLength(1).maxLength(TextRules.MAX_TEXT).pattern(TextRules.PLAIN_NOT_BLANK_PATTERN);
        } else if (parameter.getIn() == Parameter.In.QUERY && schema.getType() != null
                && schema.getType().contains(Schema.SchemaType.STRING)) {
            schema.minLength(1).maxLength(TextRules.MAX_TEXT).pattern(TextRules.PLAIN_PATTERN);
        }
    }

    /** A tag, in a body or a query ({@link Tags#checked}). */
    private static Schema tag() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).minLength(1).maxLength(Tags.MAX_LENGTH)
                .pattern(TextRules.PLAIN_PATTERN);
    }

    /** Header name → values: names not blank, values storable. */
    private static void headers(Schema headers) {
        headers.propertyNames(OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .pattern(TextRules.STORABLE_NOT_BLANK_PATTERN));
        headers.additionalPropertiesSchema(OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                .items(OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern(TextRules.STORABLE_PATTERN)));
    }

    /**
     * An object that refuses members it does not declare, and whose optional members may be {@code null}: Jackson
     * reads a {@code null} member as an absent one.
     */
    private static void closed(Schema schema) {
        schema.additionalPropertiesBoolean(false);
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        schema.getProperties().forEach((name, property) -> {
            if (required.contains(name)) {
                return;
            }
            if (property.getRef() != null) {
                Schema referenced = OASFactory.createSchema().ref(property.getRef());
                property.setRef(null);
                property.setType(null);
                property.anyOf(List.of(referenced, OASFactory.createSchema().addType(Schema.SchemaType.NULL)));
            } else if (property.getType() != null) {
                property.addType(Schema.SchemaType.NULL);
            }
        });
    }

}
