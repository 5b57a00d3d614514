package io.cachekeeper.entry;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The {@code cache_entry} table as a Hibernate entity, for the recycle bin's listing, read-only: the columns it
 * filters and orders by, and no more. The ORM chooses a page's entries; their rows are then read by the entries'
 * one row mapping (sql/entries.sql's {@code entries-by-ids}, {@link EntryColumns}), so that a new column of an
 * entry is mapped once, not here too. Flyway owns the schema.
 */
@Entity
@Immutable
@Table(name = "cache_entry")
public class CacheEntry {

    @Id
    private UUID id;
    @Column(name = "cache_key")
    private String cacheKey;
    @Column(name = "request_url")
    private String requestUrl;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "expires_at")
    private OffsetDateTime expiresAt;
    @Column(name = "deleted_at")
    private OffsetDateTime deletedAt;
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "tags")
    private String[] tags;

    protected CacheEntry() {
    }

    public UUID id() {
        return id;
    }
}
