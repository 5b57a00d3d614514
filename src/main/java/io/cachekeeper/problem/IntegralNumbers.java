package io.cachekeeper.problem;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Integers as JSON Schema 2020-12 (the OpenAPI 3.1 document's dialect) defines them: any number whose fractional part
 * is zero, {@code 200} as well as {@code 200.0} or {@code 2e2}. A number with a fraction ({@code 60.5}) or out of the
 * type's range is refused, never truncated; a string or a boolean is refused ({@link StrictJson}).
 */
final class IntegralNumbers extends SimpleModule {

    IntegralNumbers() {
        super("cachekeeper-integral-numbers");
        Integral<Integer> ints = new Integral<>(Integer.class, BigInteger::intValueExact);
        Integral<Long> longs = new Integral<>(Long.class, BigInteger::longValueExact);
        addDeserializer(Integer.class, ints);
        addDeserializer(int.class, ints);
        addDeserializer(Long.class, longs);
        addDeserializer(long.class, longs);
    }

    private static final class Integral<T> extends StdScalarDeserializer<T> {

        private final transient Function<BigInteger, T> exact;

        Integral(Class<T> type, Function<BigInteger, T> exact) {
            super(type);
            this.exact = exact;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            BigInteger value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                value = p.getBigIntegerValue();
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                BigDecimal decimal = p.getDecimalValue();
                if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
                    return ctxt.reportInputMismatch(this, "expected an integer, not %s", p.getText());
                }
                value = decimal.toBigIntegerExact();
            } else {
                @SuppressWarnings("unchecked")
                T refused = (T) ctxt.handleUnexpectedToken(handledType(), p);
                return refused;
            }
            try {
                return exact.apply(value);
            } catch (ArithmeticException e) {
                return ctxt.reportInputMismatch(this, "%s is out of range", p.getText());
            }
        }
    }
}
