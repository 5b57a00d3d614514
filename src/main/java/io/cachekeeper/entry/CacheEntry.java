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
    @Column(name = EntryColumns.CACHE_KEY)
    private String cacheKey;
    @Column(name = EntryColumns.REQUEST_METHOD)
    private String requestMethod;
    @Column(name = EntryColumns.REQUEST_URL)
    private String requestUrl;
    @Formula("cast(" + EntryColumns.REQUEST_HEADERS + " as text)")
    private String requestHeaders;
    @Column(name = EntryColumns.RESPONSE_STATUS)
    private int responseStatus;
    @Formula("cast(" + EntryColumns.RESPONSE_HEADERS + " as text)")
    private String responseHeaders;
    @Basic(fetch = FetchType.LAZY)
    @Column(name = EntryColumns.RESPONSE_BODY)
    private byte[] responseBody;
    @Formula("cast(" + EntryColumns.METADATA + " as text)")
    private String metadata;
    @Column(name = EntryColumns.TTL_SECONDS)
    private Long ttlSeconds;
    @Column(name = EntryColumns.CREATED_AT)
    private OffsetDateTime createdAt;
    @Column(name = EntryColumns.UPDATED_AT)
    private OffsetDateTime updatedAt;
    @Column(name = EntryColumns.EXPIRES_AT)
    private OffsetDateTime expiresAt;
    @Column(name = EntryColumns.DELETED_AT)
    private OffsetDateTime deletedAt;
    @Column(name = EntryColumns.VERSION)
    private long version;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = EntryColumns.TAGS)
    private String[] tags;
    @Column(name = EntryColumns.BODY_ID)
    private UUID bodyId;
    @Column(name = EntryColumns.BODY_SIZE)
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
