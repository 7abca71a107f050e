package io.bpf4j.api;

/**
 * Receives the elements of a batch dump ({@link BpfMap#dumpBatch(int, BatchVisitor)}) where
 * they lie, in the batch buffers, so a dump that only reads, sums or copies elements elsewhere
 * allocates nothing per element.
 *
 * <pre>{@code
 * static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
 *
 * long[] total = {0};
 * map.dumpBatch(4096, (keys, keyAt, values, valueAt) -> {
 *     total[0] += (long) U64.get(values, valueAt);
 *     return true;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface BatchVisitor {
    /**
     * One element. The arrays are reused for the next batch: copy what must outlive the call.
     *
     * @param keys the batch's keys; this key is {@link BpfMap#keySize()} bytes from {@code keyAt}
     * @param keyAt the key's offset in {@code keys}
     * @param values the batch's values; this value is {@link BpfMap#valueBufferSize()} bytes from
     *     {@code valueAt} (every CPU's value, each padded to 8 bytes, for per-CPU maps)
     * @param valueAt the value's offset in {@code values}
     * @return true to go on, false to stop the dump after this element
     */
    boolean element(byte[] keys, int keyAt, byte[] values, int valueAt);
}
