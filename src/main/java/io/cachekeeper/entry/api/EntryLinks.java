package io.cachekeeper.entry.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * OpenAPI links from every answer that carries one entry to every operation on that entry
 * ({@code /entries/{id}…}, its id from the answer's {@code id}): what a client does next with what it got, and
 * what a stateful tester follows (create → read → replace → delete → restore). Operation ids are the resource
 * methods' ({@code mp.openapi.extensions.smallrye.operationIdStrategy=CLASS_METHOD}).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class EntryLinks implements OASFilter {

    private static final String BY_ID = "/entries/{id}";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        Map<String, PathItem> paths = openAPI.getPaths().getPathItems();
        paths.forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (path.equals("/entries") && method == PathItem.HttpMethod.POST) {
                link(operation.getResponses().getAPIResponse("201"), paths);
            } else if (path.equals(BY_ID) || path.startsWith(BY_ID + "/") && !path.endsWith("/body")) {
                link(operation.getResponses().getAPIResponse("200"), paths);
            }
        }));
    }

    private static void link(APIResponse answer, Map<String, PathItem> paths) {
        if (answer == null) {
            return;
        }
        paths.forEach((path, item) -> {
            if (path.equals(BY_ID) || path.startsWith(BY_ID + "/")) {
                item.getOperations().forEach((method, target) -> answer.addLink(name(method, path), OASFactory.createLink()
                        .operationId(target.getOperationId()).addParameter("id", "$response.body#/id")));
            }
        });
    }

    private static String name(PathItem.HttpMethod method, String path) {
        String tail = path.substring(BY_ID.length()).replace("/", "");
        return method.name().toLowerCase(java.util.Locale.ROOT) + (tail.isEmpty() ? "Entry" : "Entry_" + tail);
    }

}
