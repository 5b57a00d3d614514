-- Hands out heap chunks to the purge's sweep (cleanup.HeapSweep): every worker of every replica takes
-- its next chunk with nextval(), which never blocks and never gives one number twice, so concurrent
-- passes split the table between them instead of sweeping it twice.
CREATE SEQUENCE cache_entry_sweep_seq;
