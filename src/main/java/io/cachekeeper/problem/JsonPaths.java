package io.cachekeeper.problem;

import java.util.List;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Names the JSON field a Jackson error is about, e.g. {@code response.headers.accept[0]}. */
final class JsonPaths {

    private JsonPaths() {
    }

    static String of(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    /** The path of the member a parser stood at, e.g. {@code request.headers} (empty at the top). */
    static String of(JsonStreamContext context) {
        StringBuilder out = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                out.insert(0, (out.isEmpty() ? "" : ".") + c.getCurrentName());
            } else if (c.inArray()) {
                out.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        return out.toString();
    }

    static String reason(JsonMappingException e) {
        if (e instanceof InvalidFormatException f) {
            if (f.getTargetType() == byte[].class) {
                return "not valid base64";
            }
            return "invalid value " + quoted(f.getValue()) + " for " + simple(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "expected " + simple(m.getTargetType());
        }
        String msg = e.getOriginalMessage();
        return msg == null ? "invalid value" : msg;
    }

    private static String quoted(Object value) {
        String s = String.valueOf(value);
        return '"' + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + '"';
    }

    private static String simple(Class<?> type) {
        if (type == byte[].class) {
            return "a base64 string";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a " + type.getSimpleName();
    }
}
