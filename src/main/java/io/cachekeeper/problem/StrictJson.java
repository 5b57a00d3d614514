package io.cachekeeper.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Request bodies are read as JSON says, not coerced: each value must have the type the document declares.
 * <ul>
 * <li>a member named twice in one object ({@code {"cacheKey":"a", "cacheKey":"b"}}) is refused rather than the last
 * one silently winning; unknown members are refused by {@code quarkus.jackson.fail-on-unknown-properties};</li>
 * <li>a string where a number or a boolean belongs ({@code "ttlSeconds": "60"}), a fraction where an integer belongs
 * ({@code 60.5}, {@code 1.55e1}), a number or boolean where a string belongs
 * ({@code "cacheKey": 5}, {@code "tags": [42]}), a number where a boolean belongs, an empty string for an id.</li>
 * </ul>
 * An integer is what the document's JSON Schema (2020-12) calls one: a number without a fractional part however it
 * is written, so {@code 200.0} and {@code 1e3} are the integers 200 and 1000 ({@link IntegralNumbers}).
 * An optional member given as {@code null} is absent, as the document says ({@code nullable}); a required one is a 400.
 * Each is a 400 naming the member's path ({@link ProblemMappers}), before anything is written.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        for (LogicalType type : new LogicalType[] { LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer,
                LogicalType.Float }) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual ? CoercionAction.TryConvert
                            : CoercionAction.Fail);
        }
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.registerModule(new IntegralNumbers());
    }
}
