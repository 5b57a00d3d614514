package io.cachekeeper.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured requests as the test {@code admin} user (roles reader, writer, admin). Tests about
 * access control set other credentials, or none, on the request itself.
 */
public final class Api {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = PostgresResource.password(ADMIN);

    private Api() {
    }

    /** A request without credentials (tests about access control add their own, or none). */
    public static RequestSpecification anonymous() {
        return RestAssured.given().filter(ObservedResponses.FILTER);
    }

    public static RequestSpecification given() {
        return RestAssured.given().filter(ObservedResponses.FILTER).auth().preemptive().basic(ADMIN, ADMIN_PASSWORD);
    }
}
