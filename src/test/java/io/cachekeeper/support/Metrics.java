package io.cachekeeper.support;

import static io.cachekeeper.support.Api.given;

/** Reads the service's own figures from {@code /q/metrics} (Prometheus text). */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of every series of a metric whose line starts with {@code name} (any labels); 0 if none. */
    public static double value(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The value of one series, named with its labels as Prometheus prints them ({@code name{label="v"}}); fails if absent. */
    public static double series(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + series + " in /q/metrics"));
    }
}
