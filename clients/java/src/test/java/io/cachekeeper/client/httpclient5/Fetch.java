package io.cachekeeper.client.httpclient5;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.cachekeeper.client.CachekeeperClient;
import org.apache.hc.client5.http.cache.HttpCacheContext;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.cache.CacheConfig;
import org.apache.hc.client5.http.impl.cache.CachingHttpClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * What an application does: a caching HttpClient on a cachekeeper storage, and a GET through it.
 * Its {@code main} is the "other process" of the tests: it prints status, cache status, body.
 */
final class Fetch {

    record Result(int status, String cacheStatus, String body, String validated) {

        String line() {
            return status + "\t" + cacheStatus + "\t" + body;
        }
    }

    static CloseableHttpClient cachingClient(CachekeeperClient cachekeeper) {
        return CachingHttpClients.custom()
                .setCacheConfig(CacheConfig.custom().setSharedCache(true).setMaxObjectSize(4 << 20).build())
                .setHttpCacheStorage(new CachekeeperCacheStorage(cachekeeper))
                .build();
    }

    static Result get(CloseableHttpClient http, String url, String language) throws IOException {
        HttpGet get = new HttpGet(url);
        if (language != null) {
            get.addHeader("Accept-Language", language);
        }
        HttpCacheContext context = HttpCacheContext.create();
        return http.execute(get, context, response -> {
            Header validated = response.getFirstHeader("X-Validated");
            return new Result(response.getCode(), String.valueOf(context.getCacheResponseStatus()),
                    EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                    validated == null ? null : validated.getValue());
        });
    }

    /** args: cachekeeper URI, password of the writer user, URL [, Accept-Language]. */
    public static void main(String[] args) throws IOException {
        CachekeeperClient cachekeeper = CachekeeperClient.builder(URI.create(args[0]))
                .credentials("writer", args[1]).build();
        try (CloseableHttpClient http = cachingClient(cachekeeper)) {
            System.out.println(get(http, args[2], args.length > 3 ? args[3] : null).line());
        }
    }
}
