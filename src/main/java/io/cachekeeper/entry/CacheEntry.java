package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A stored HTTP cache entry: the row of {@code cache_entry}. Timestamps are always set from the
 * database clock ({@link DbClock}), never from the JVM's.
 */
@Entity
@Table(name = "cache_entry")
public class CacheEntry extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "cache_key", nullable = false, columnDefinition = "text")
    public String cacheKey;

    @Column(name = "request_method", nullable = false, columnDefinition = "text")
    public String requestMethod;

    @Column(name = "request_url", nullable = false, columnDefinition = "text")
    public String requestUrl;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_headers", nullable = false)
    public Map<String, List<String>> requestHeaders;

    @Column(name = "response_status", nullable = false)
    public int responseStatus;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_headers", nullable = false)
    public Map<String, List<String>> responseHeaders;

    @Column(name = "response_body", nullable = false)
    public byte[] responseBody;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "metadata", nullable = false)
    public Map<String, Object> metadata;

    @Column(name = "ttl_seconds")
    public Long ttlSeconds;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    /** Restarts the TTL at {@code now}: {@code expiresAt = now + ttlSeconds}, or never for no TTL. */
    public void startTtl(OffsetDateTime now) {
        expiresAt = ttlSeconds == null ? null : now.plusSeconds(ttlSeconds);
    }
}
