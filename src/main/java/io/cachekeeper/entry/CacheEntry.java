package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Formula;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The {@code cache_entry} table as a Hibernate entity, for the operators' queries (the recycle bin):
 * every column by name, read-only. Flyway owns the schema; the API's hot paths stay single SQL
 * statements ({@link EntryRepository}), because they need {@code RETURNING} and columns computed over
 * the database clock. The JSON columns are read as their text (they go back out unchanged, as on the
 * hot path), and the body only when asked for ({@link #responseBody} is lazy).
 */
@Entity
@Immutable
@Table(name = "cache_entry")
public class CacheEntry {

    @Id
    private UUID id;
    @Column(name = "cache_key")
    private String cacheKey;
    @Column(name = "request_method")
    private String requestMethod;
    @Column(name = "request_url")
    private String requestUrl;
    @Formula("cast(request_headers as text)")
    private String requestHeaders;
    @Column(name = "response_status")
    private int responseStatus;
    @Formula("cast(response_headers as text)")
    private String responseHeaders;
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "response_body")
    private byte[] responseBody;
    @Formula("cast(metadata as text)")
    private String metadata;
    @Column(name = "ttl_seconds")
    private Long ttlSeconds;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;
    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;
    @Column(name = "deleted_at")
    private OffsetDateTime deletedAt;
    @Column(name = "version")
    private long version;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "tags")
    private String[] tags;
    @Column(name = "body_id")
    private UUID bodyId;
    @Column(name = "body_size")
    private Long bodySize;

    protected CacheEntry() {
    }

    public UUID id() {
        return id;
    }

    /**
     * The row as the API shows it, with its state and {@code purgeAfter} judged at {@code clock} (the
     * database's {@code now()}, read in the same request) and the body when one was loaded.
     */
    public EntryRow toRow(Lifecycle.Clock clock, byte[] body) {
        EntryContent content = new EntryContent(id, cacheKey, requestMethod, requestUrl, requestHeaders,
                responseStatus, responseHeaders, bodyId != null ? new byte[0] : body, metadata, ttlSeconds,
                EntryColumns.tags(tags), bodyId, bodySize);
        return new EntryRow(content, createdAt, expiresAt, deletedAt, clock.purgeAfter(deletedAt, expiresAt),
                clock.state(deletedAt, expiresAt), version);
    }
}
