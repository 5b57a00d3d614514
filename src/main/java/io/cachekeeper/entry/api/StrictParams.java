package io.cachekeeper.entry.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.cachekeeper.problem.InvalidParameter;

/**
 * Strict conversion of typed path and query parameters ({@code UUID}, {@code boolean}, {@code int}):
 * JAX-RS would answer a malformed value with a bare 404, and {@code Boolean.valueOf} would read
 * "yes" as false. A boolean is {@code true} or {@code false}, nothing else; the text of every query
 * value was checked before ({@code io.cachekeeper.http.StrictQuery}). A bad value here is a 400
 * problem+json naming the parameter. Resources name their
 * parameters explicitly ({@code @RestQuery("limit")}) so the name is known here.
 */
@Provider
public class StrictParams implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = nameOf(annotations);
        if (rawType == UUID.class) {
            return (ParamConverter<T>) converter(name, "not a UUID", StrictParams::uuid);
        }
        if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) converter(name, "must be true or false", StrictParams::bool);
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) converter(name, "not an integer", Integer::valueOf);
        }
        return null;
    }

    private static <T> ParamConverter<T> converter(String name, String problem, Function<String, T> parse) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null; // absent: the resource's @DefaultValue applies
                }
                try {
                    return parse.apply(value); // as given: a trimmed "\0" would read as "" (false)
                } catch (RuntimeException e) {
                    throw new InvalidParameter(name, problem);
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static UUID uuid(String value) {
        UUID id = UUID.fromString(value);
        if (!id.toString().equalsIgnoreCase(value)) { // UUID.fromString accepts "1-1-1-1-1"
            throw new IllegalArgumentException(value);
        }
        return id;
    }

    private static Boolean bool(String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(value);
        };
    }

    private static String nameOf(Annotation[] annotations) {
        for (Annotation a : annotations == null ? new Annotation[0] : annotations) {
            String name = a instanceof RestQuery q ? q.value()
                    : a instanceof RestPath p ? p.value()
                            : a instanceof QueryParam q ? q.value()
                                    : a instanceof PathParam p ? p.value() : "";
            if (!name.isEmpty()) {
                return name;
            }
        }
        return "parameter";
    }
}
