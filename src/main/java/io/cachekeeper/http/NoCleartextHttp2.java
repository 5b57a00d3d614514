package io.cachekeeper.http;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * No HTTP/2 over cleartext (h2c) on the plain HTTP port. A client that asks to upgrade (Java's HttpClient does,
 * by default, on every new connection) sends the upgrade request's body whole before HTTP/2 begins, and the
 * server holds all of it before any handler runs: neither {@link RequestBodyGuard} nor a streamed upload's
 * back-pressure can act on it: concurrent large uploads that way run the heap out of memory
 * (docs/performance.md, "Bodies as bytes"). The upgrade is now ignored and the request is served over HTTP/1.1;
 * HTTP/2 over TLS, where it is negotiated before any body, stays available.
 */
@ApplicationScoped
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
