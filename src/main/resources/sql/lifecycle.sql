-- The lifecycle of an entry, live -> expired / deleted -> purgeable -> purged, as SQL over the database's clock.
-- The settings are the configuration's, fixed for the life of the process: cachekeeper.cleanup.grace-period and
-- cachekeeper.cleanup.stale-retention. They are written into every statement as literals rather than bound as
-- parameters, because the planner folds now() - <literal> into its row estimates (a generic plan cannot see a
-- parameter's value): a purge batch or a count keeps its index plan (docs/development.md, "Statements").
--
-- Every statement of the catalogue spells a state's condition exactly as this statement does, and computes the
-- state and purge_after columns exactly so: LifecycleSpellingTest holds them to it, LifecycleFormsAgreeTest
-- holds entry/Lifecycle.Clock (the same rules in Java, for rows the recycle bin's ORM reads) to it, and
-- LifecyclePartialIndexesTest holds the migrations' partial indexes to it.

-- name: lifecycle-rules
-- Each rule of a row: the five conditions, the state and when the row becomes eligible for purging.
SELECT id,
       deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AS live,
       deleted_at IS NULL AND expires_at <= now() AS expired,
       deleted_at > now() - :'grace_period'::interval AS deleted,
       deleted_at <= now() - :'grace_period'::interval AS purgeable,
       deleted_at IS NULL AND expires_at <= now() - :'stale_retention'::interval AS stale,
       CASE WHEN deleted_at IS NOT NULL
            THEN CASE WHEN deleted_at > now() - :'grace_period'::interval THEN 'deleted' ELSE 'purgeable' END
            WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state,
       CASE WHEN deleted_at IS NOT NULL THEN deleted_at + :'grace_period'::interval
            ELSE expires_at + :'stale_retention'::interval END AS purge_after
FROM cache_entry;

-- name: database-clock
-- The database's clock, for the rules judged outside SQL (entry/Lifecycle.Clock).
SELECT now() AS now;
