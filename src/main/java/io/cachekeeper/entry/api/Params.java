package io.cachekeeper.entry.api;

import java.util.UUID;

import io.cachekeeper.problem.ProblemException;

/** Strict parsing of path and query parameters, with errors that name the parameter. */
public final class Params {

    private Params() {
    }

    public static UUID uuid(String name, String value) {
        try {
            UUID id = UUID.fromString(value);
            if (!id.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.badRequest(name, "not a UUID");
        }
    }

    public static boolean bool(String name, String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ProblemException.badRequest(name, "must be true or false");
    }

    public static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw ProblemException.badRequest(name, "query parameter is required");
        }
        return value;
    }
}
