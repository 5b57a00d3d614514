-- The heap sweep (cleanup.HeapSweep) deletes the eligible rows of a TID range with one plain DELETE: a
-- DELETE has no LIMIT, and taking the rows directly is what makes the sweep as cheap as one big DELETE.
-- The range is sized to hold fewer rows than the batch size, from the density seen so far; this check,
-- applied to the count of rows the statement deleted, keeps the batch-size promise when a range held
-- more after all: the statement fails, its transaction rolls back (nothing deleted), and the sweep
-- retries a smaller range. SQLSTATE CK001 tells the service it is this case; DETAIL is the count.
CREATE FUNCTION cache_entry_purge_cap(deleted bigint, batch_size bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    IF deleted > batch_size THEN
        RAISE EXCEPTION 'a purge range held % eligible rows, more than the batch size %; rolled back',
            deleted, batch_size
            USING ERRCODE = 'CK001', DETAIL = deleted::text;
    END IF;
    RETURN deleted;
END
$$;
