package io.bpf4j.api.events;

/** Receives each record a reader delivers. */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Handles one record. The view is valid only until this method returns. An exception thrown
     * here propagates to the caller of {@code poll} or {@code consume}; the record counts as
     * delivered and the records after it stay in the ring for the next call.
     *
     * @param record the record
     */
    void onRecord(EventRecord record);
}
