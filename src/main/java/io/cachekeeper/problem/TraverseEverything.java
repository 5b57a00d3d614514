package io.cachekeeper.problem;

import java.lang.annotation.ElementType;

import jakarta.inject.Singleton;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;

/**
 * Lets Hibernate Validator reach and cascade into every property. With Hibernate ORM present, Quarkus
 * otherwise asks the persistence provider, property by property, whether an entity's attribute is
 * loaded; what the API validates are request records, never entities, so every answer would be yes.
 * That question was 4% of the JVM's samples on {@code POST /entries} (JFR; docs/performance.md).
 */
@Singleton
public class TraverseEverything implements TraversableResolver {

    @Override
    public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
            ElementType elementType) {
        return true;
    }

    @Override
    public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
            ElementType elementType) {
        return true;
    }
}
