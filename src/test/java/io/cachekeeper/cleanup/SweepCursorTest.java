package io.cachekeeper.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.cachekeeper.cleanup.SweepCursor.TidRange;

/** How a lane of the heap sweep sizes its TID ranges: from the density seen, within its chunk, smaller after an overshoot. */
class SweepCursorTest {

    /** An 8 KiB page, PostgreSQL's default. */
    private static final int SLOTS_PER_PAGE = SweepCursor.slotsPerPage(8192);

    @Test
    void aPagesSlotsFollowTheServersPageSize() {
        // MaxHeapTuplesPerPage line pointers, and the slot past them: 291 + 1 for 8 KiB, 1169 + 1 for 32 KiB.
        assertEquals(292, SweepCursor.slotsPerPage(8192));
        assertEquals(1170, SweepCursor.slotsPerPage(32768));
        assertEquals("(1,0)", new SweepCursor.TidRange(292, 292, 292).fromTid());
        assertEquals("(0,292)", new SweepCursor.TidRange(292, 292, 1170).fromTid());
    }

    private static final HeapSweep.Chunk CHUNK = new HeapSweep.Chunk(128, 192, true);

    /** A cursor that has swept a chunk where each page held {@code rowsPerPage} eligible rows, then entered {@link #CHUNK}. */
    private static SweepCursor taught(int batchSize, int rowsPerPage) {
        SweepCursor cursor = new SweepCursor(batchSize, SLOTS_PER_PAGE);
        cursor.enter(new HeapSweep.Chunk(0, 64, true));
        while (!cursor.needsChunk()) {
            TidRange range = cursor.next();
            cursor.deleted(range, rowsPerPage * range.slots() / SLOTS_PER_PAGE);
        }
        cursor.enter(CHUNK);
        return cursor;
    }

    @Test
    void theFirstRangeIsOnePageAndRangesGrowFromThereAtMostFourfold() {
        SweepCursor cursor = new SweepCursor(200, SLOTS_PER_PAGE);
        cursor.enter(CHUNK);
        TidRange probe = cursor.next();
        assertEquals("(128,0)", probe.fromTid());
        assertEquals("(129,0)", probe.toTid());
        cursor.deleted(probe, 0);
        // An empty page says little about the next ones: 4 pages, then 16, then the rest of the chunk.
        long[] expectedPages = { 4, 16, 43 };
        for (long pages : expectedPages) {
            TidRange range = cursor.next();
            assertEquals(pages * SLOTS_PER_PAGE, range.slots(), range.toString());
            cursor.deleted(range, 0);
        }
        assertTrue(cursor.needsChunk());
    }

    @Test
    void rangesAreWholePagesSpreadEvenlyOverTheChunk() {
        // 10 eligible rows a page, batches of 200 (sized for ~172 rows): 64 pages in four ranges of 16.
        SweepCursor cursor = taught(200, 10);
        TidRange first = cursor.next();
        assertEquals("(128,0)", first.fromTid());
        assertEquals("(144,0)", first.toTid());
        long swept = 0;
        while (!cursor.needsChunk()) {
            TidRange range = cursor.next();
            assertEquals(0, range.from() % SLOTS_PER_PAGE, "ranges start on a page");
            swept += range.slots();
            cursor.deleted(range, 10 * range.slots() / SLOTS_PER_PAGE);
        }
        assertEquals(64L * SLOTS_PER_PAGE, swept, "the chunk swept exactly once, no gap, no overlap");
    }

    @Test
    void aSparseChunkIsOneRangeAndTheCursorFollowsTheDensityItSees() {
        SweepCursor cursor = taught(200, 0);
        TidRange whole = cursor.next();
        assertEquals(64L * SLOTS_PER_PAGE, whole.slots());
        cursor.deleted(whole, 30);
        assertTrue(cursor.needsChunk());
        assertFalse(cursor.finished(), "a chunk inside the pass's cycle: the lane claims another");

        // Far denser than expected next: the following range is sized from what the lane saw.
        cursor.enter(new HeapSweep.Chunk(0, 64, false));
        TidRange first = cursor.next();
        cursor.deleted(first, 190);
        assertTrue(cursor.next().slots() < first.slots());
    }

    @Test
    void anOvershootIsRetriedFromTheSamePlaceSizedByWhatTheRangeHeld() {
        // Expected 1 row a page, found 400 in the chunk's 64 pages: the retry holds ~172 at that density.
        SweepCursor cursor = taught(200, 1);
        TidRange range = cursor.next();
        assertEquals(64L * SLOTS_PER_PAGE, range.slots());
        cursor.overCap(range, 400);
        TidRange retry = cursor.next();
        assertEquals(range.from(), retry.from(), "a rolled-back range is not skipped");
        double expectedRows = 400.0 * retry.slots() / range.slots();
        assertTrue(expectedRows <= 200, "the retry expects " + expectedRows + " rows");
    }

    @Test
    void retriesShrinkStrictlyEvenWhenTheRowsAreAllAtTheRangesStart() {
        // The worst case: all 201 rows in the first slots, so every retry holds them all until it is tiny.
        SweepCursor cursor = taught(200, 1);
        TidRange range = cursor.next();
        int retries = 0;
        while (range.slots() > 100) {
            cursor.overCap(range, 201);
            TidRange retry = cursor.next();
            assertEquals(range.from(), retry.from());
            assertTrue(retry.slots() < range.slots(), retry + " after " + range);
            range = retry;
            retries++;
        }
        assertTrue(retries <= 8, retries + " retries"); // halved at least: 64 pages to 100 slots
    }

    @Test
    void aBatchSmallerThanAPageSplitsThePageByLinePointerDownToOneSlot() {
        // Batches of 1, 60 eligible rows a page: ranges within a page, never empty, down to single slots.
        SweepCursor cursor = new SweepCursor(1, SLOTS_PER_PAGE);
        cursor.enter(CHUNK);
        TidRange probe = cursor.next();
        assertEquals(SLOTS_PER_PAGE, probe.slots());
        cursor.overCap(probe, 60);
        TidRange range = cursor.next();
        assertTrue(range.slots() < SLOTS_PER_PAGE, "part of a page: " + range);
        assertEquals("(128,0)", range.fromTid());
        for (int i = 0; i < 20 && range.slots() > 1; i++) {
            cursor.overCap(range, 2);
            TidRange retry = cursor.next();
            assertTrue(retry.slots() < range.slots() && retry.slots() >= 1);
            range = retry;
        }
        assertEquals(1, range.slots(), "one line pointer holds one row at most: it always fits");
        cursor.deleted(range, 1);
        assertEquals("(128,1)", cursor.next().fromTid());
    }

    @Test
    void theLastChunkOfTheCycleEndsTheLane() {
        SweepCursor cursor = taught(200, 0);
        cursor.enter(new HeapSweep.Chunk(0, 3, false));
        TidRange range = cursor.next();
        assertEquals("(3,0)", range.toTid(), "a chunk clipped at the table's end");
        assertFalse(cursor.finished());
        cursor.deleted(range, 0);
        assertTrue(cursor.finished());
    }
}
