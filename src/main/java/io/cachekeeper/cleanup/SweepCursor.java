package io.cachekeeper.cleanup;

/**
 * One lane's place in the heap sweep: the chunk it works in, how far it has come, and how many eligible
 * rows a page has held so far. From that density it sizes the next TID range so that the range is
 * expected to hold {@link #target} rows, a margin below the batch size; {@link HeapSweep} deletes the
 * range with one plain DELETE, and a range that held more than the batch size after all is rolled back
 * by the database and comes back here ({@link #overCap}) to be retried smaller.
 *
 * <p>
 * A lane starts with a range of one page and lets its ranges grow at most fourfold from one to the
 * next, so the density it sizes them by is always one it has seen nearby.
 *
 * <p>
 * Positions are TID slots: slot {@code s} is the TID {@code (s / slotsPerPage, s % slotsPerPage)}, with
 * {@link #slotsPerPage} from the server's page size.
 * Ranges are whole pages while a page is expected to hold less than a batch, and parts of a page
 * (ranges of line pointers) below that, so that even a batch size smaller than a page's rows is kept:
 * each retry shrinks the range, down to a single slot, which holds one row at most.
 */
final class SweepCursor {

    /** The page header, and a heap tuple's aligned header and line pointer: PostgreSQL's MaxHeapTuplesPerPage. */
    private static final int PAGE_HEADER = 24;
    private static final int TUPLE_AND_POINTER = 24 + 4;

    private static final int GROWTH = 4;

    /**
     * The rows a range is sized to hold: two standard deviations (of a Poisson count) under the batch
     * size, so that evenly spread eligible rows seldom overshoot (the bench: none of ~16,000 ranges in
     * four runs), while a range still holds ~86% of a batch.
     */
    private final double target;
    /** Eligible rows a page held in the ranges seen so far (recent ones weigh most); NaN before the first. */
    private double rowsPerPage = Double.NaN;
    private HeapSweep.Chunk chunk;
    private long position;
    private long end;
    /** The last range deleted, in slots (0 before the first: the lane starts with one page). */
    private long lastLength;
    /** After an overshoot, the next range is shorter than the one that overshot. */
    private long ceiling = Long.MAX_VALUE;

    /** TID slots in a page: line pointers 0 to the most tuples a page holds; (p, slots) would be (p + 1, 0). */
    private final int slotsPerPage;

    SweepCursor(int batchSize, int slotsPerPage) {
        this.target = Math.max(1, batchSize - 2 * Math.sqrt(batchSize));
        this.slotsPerPage = slotsPerPage;
    }

    /** The TID slots of a page of {@code blockSize} bytes (the server's {@code block_size}): 292 for 8 KiB. */
    static int slotsPerPage(int blockSize) {
        return (blockSize - PAGE_HEADER) / TUPLE_AND_POINTER + 1;
    }

    /** Whether the lane needs a chunk: it has none yet, or has swept its chunk. */
    boolean needsChunk() {
        return chunk == null || position >= end;
    }

    /** Whether the lane is done: it swept a chunk whose ticket lay past its pass's cycle (see HeapSweep). */
    boolean finished() {
        return chunk != null && position >= end && !chunk.inCycle();
    }

    /** The chunk the lane is in or has just swept; null before its first. */
    HeapSweep.Chunk chunk() {
        return chunk;
    }

    void enter(HeapSweep.Chunk next) {
        chunk = next;
        position = next.firstPage() * slotsPerPage;
        end = next.endPage() * slotsPerPage;
    }

    /** The range to delete next: from where the lane stands, expected to hold about {@link #target} rows. */
    TidRange next() {
        long remaining = end - position;
        long length = remaining;
        if (rowsPerPage > 0) {
            double ideal = target / rowsPerPage * slotsPerPage;
            if (ideal < remaining) {
                long pages = (long) (ideal / slotsPerPage);
                // Whole pages, never more than the ideal, spread evenly over the rest of the chunk (no small
                // range left at its end).
                length = pages >= 1 && position % slotsPerPage == 0
                        ? ceilDiv(remaining / slotsPerPage, ceilDiv(remaining / slotsPerPage, pages)) * slotsPerPage
                        : Math.max(1, (long) ideal);
            }
        }
        // Ranges grow at most fourfold, from one page: a stretch of empty or dead pages says little about
        // the pages after it, and a range sized from it alone would be rolled back if they are dense.
        long growth = Math.max(slotsPerPage, GROWTH * lastLength);
        return new TidRange(position, position + Math.min(Math.min(length, growth), ceiling), slotsPerPage);
    }

    /** The range was deleted: the lane moves past it and learns its density. */
    void deleted(TidRange range, long rows) {
        position = range.to();
        lastLength = range.slots();
        ceiling = Long.MAX_VALUE;
        double seen = rows * (double) slotsPerPage / range.slots();
        rowsPerPage = Double.isNaN(rowsPerPage) ? seen : (rowsPerPage + seen) / 2;
    }

    /**
     * What the range's statement did, learnt: it deleted {@code rows} (true), or it held {@code overCap} rows,
     * more than a batch, and was rolled back ({@code overCap} &gt; 0; false).
     */
    boolean learn(TidRange range, long rows, long overCap) {
        if (overCap > 0) {
            overCap(range, overCap);
            return false;
        }
        deleted(range, rows);
        return true;
    }

    /**
     * The range held {@code rows}, more than a batch, and was rolled back: the retry, from the same place,
     * is sized by that count and at most half as long, so that even rows bunched at the range's start
     * (where a smaller range holds them all again) take a few retries, not dozens.
     */
    void overCap(TidRange range, long rows) {
        double seen = rows * (double) slotsPerPage / range.slots();
        rowsPerPage = Double.isNaN(rowsPerPage) ? seen : Math.max(rowsPerPage, seen);
        ceiling = Math.max(1, Math.min(range.slots() / 2, (long) (range.slots() * target / rows)));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** TID slots {@code [from, to)} of pages of {@code slotsPerPage}; as TIDs, {@code ctid >= fromTid() AND ctid < toTid()}. */
    record TidRange(long from, long to, int slotsPerPage) {

        long slots() {
            return to - from;
        }

        String fromTid() {
            return tid(from);
        }

        String toTid() {
            return tid(to);
        }

        private String tid(long slot) {
            return "(" + slot / slotsPerPage + "," + slot % slotsPerPage + ")";
        }
    }
}
