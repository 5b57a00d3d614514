package io.cachekeeper.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.cachekeeper.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place where the query of every API operation is read strictly, before any parameter
 * reaches a resource: JAX-RS would take the first of a repeated parameter, ignore one it does not
 * know ({@code dryrun=true} would run a real pass), and decode {@code %zz} or invalid UTF-8 leniently.
 * Here each {@code name=value} must be a known name ({@link #NAMES}), given once unless
 * {@link #REPEATABLE}, percent-encoded UTF-8, not empty, at most {@link TextRules#MAX_TEXT}
 * characters, and plain text ({@link TextRules#notPlain}); anything else is a 400 naming the parameter.
 * What each value means (a boolean is {@code true} or {@code false}, a limit a number in range) is
 * checked where it is converted ({@code StrictParams}, the resources). {@code QueryParameterFuzzTest}
 * holds these names to the OpenAPI document.
 */
public class StrictQuery {

    /** Every query parameter of the API. */
    public static final Set<String> NAMES = Set.of("key", "urlPrefix", "includeDeleted", "includeExpired",
            "includeBody", "limit", "after", "state", "sort", "dryRun", "deletedAfter", "deletedBefore",
            "createdAfter", "createdBefore", "tag", "hours");

    /** The parameters an operation reads as a list. */
    public static final Set<String> REPEATABLE = Set.of("state", "tag");

    @ServerRequestFilter
    public void check(HttpServerRequest request) {
        String query = request.query();
        if (query == null || query.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue; // "a=1&&b=2": nothing given
            }
            int eq = pair.indexOf('=');
            String name = decode("query", eq < 0 ? pair : pair.substring(0, eq));
            if (!NAMES.contains(name)) {
                throw ProblemException.badRequest("query", "unknown parameter \"" + printable(name) + "\"");
            }
            if (!seen.add(name) && !REPEATABLE.contains(name)) {
                throw ProblemException.badRequest(name, "given more than once");
            }
            String value = eq < 0 ? "" : decode(name, pair.substring(eq + 1));
            if (value.isEmpty()) {
                throw ProblemException.badRequest(name, "must not be empty");
            }
            if (TextRules.length(value) > TextRules.MAX_TEXT) {
                throw ProblemException.badRequest(name, "at most " + TextRules.MAX_TEXT + " characters");
            }
            String problem = TextRules.notPlain(value);
            if (problem != null) {
                throw ProblemException.badRequest(name, problem);
            }
        }
    }

    /** Percent-decoding ({@code +} is a space, as in forms) of UTF-8, refusing what does not decode exactly. */
    static String decode(String name, String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            for (int i = 0; i < raw.length(); i++) {
                if (raw.charAt(i) > 0x7e) {
                    throw notEncoded(name);
                }
            }
            return raw; // the common case: nothing to decode
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw ProblemException.badRequest(name,
                            "malformed percent-encoding (% must be followed by two hex digits)");
                }
                bytes.put((byte) (hi << 4 | lo));
                i += 2;
            } else if (c > 0x7e) {
                throw notEncoded(name);
            } else {
                bytes.put((byte) (c == '+' ? ' ' : c));
            }
        }
        bytes.flip();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest(name, "not UTF-8 once percent-decoded");
        }
    }

    private static ProblemException notEncoded(String name) {
        return ProblemException.badRequest(name, "characters outside printable ASCII must be percent-encoded UTF-8");
    }

    /** A name as it can be shown in an error message. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
