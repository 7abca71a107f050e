package io.bpf4j.sim.internal.vm;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The ring buffer records a run has reserved and not yet submitted or discarded. Each is a
 * writable region of the run; submitting or discarding it invalidates the region, and a run
 * that exits holding one fails, as the kernel's verifier refuses such a program (an
 * unreleased reference), with the records discarded.
 */
final class RingReservations {
    private final Memory mem;
    private final Map<byte[], VmRingBuffer> held = new IdentityHashMap<>();

    RingReservations(Memory mem) {
        this.mem = mem;
    }

    /** Makes {@code record}, reserved in {@code ring}, a region of the run and returns its pointer. */
    long reserve(int id, VmRingBuffer ring, byte[] record) {
        held.put(record, ring);
        return mem.ptr(id, 0);
    }

    /** Submits or discards a reservation; the record's pointer stops working. */
    void end(long ptr, boolean discard, long flags) {
        String helper = discard ? "bpf_ringbuf_discard" : "bpf_ringbuf_submit";
        int id = mem.idOf(ptr);
        if (id <= 0 || (int) ptr != 0 || mem.arr[id] == null || !held.containsKey(mem.arr[id])) {
            throw new VmException(-1, helper + ": " + Memory.hex(ptr) + " is not a reserved ring buffer record");
        }
        byte[] record = mem.arr[id];
        VmRingBuffer ring = held.remove(record);
        mem.invalidate(id, "ring buffer record already submitted or discarded");
        if (discard) {
            ring.discard(record, flags);
        } else {
            ring.submit(record, flags);
        }
    }

    /** Fails a run that exits with records still reserved. */
    void checkNoneHeld() {
        if (!held.isEmpty()) {
            throw new VmException(-1, "program exited holding " + held.size()
                    + " ring buffer reservation(s) (the kernel's verifier rejects this: Unreleased reference)");
        }
    }

    /** Discards what a run left reserved, when it ends. */
    void reset() {
        // IdentityHashMap.clear() nulls its whole table even when empty: most runs hold no
        // reservation, and the clear cost more than the rest of a short run.
        if (held.isEmpty()) return;
        for (Map.Entry<byte[], VmRingBuffer> e : held.entrySet()) {
            e.getValue().discard(e.getKey(), 0);
        }
        held.clear();
    }
}
