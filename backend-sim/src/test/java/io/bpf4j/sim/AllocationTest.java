package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Allocations;
import org.junit.jupiter.api.Test;

/**
 * The element commands allocate nothing per call on hash and array maps, with caller buffers:
 * lookup, update, delete and next key, hits and misses, as on the native backends.
 */
class AllocationTest extends SimTestBase {
    @Test
    void hashElementCommandsAllocateNothing() throws Exception {
        int m = sim.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 1024));
        try {
            byte[] key = {1, 0, 0, 0};
            byte[] other = {2, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            sim.mapUpdateElem(m, other, value, 0);
            Allocations.assertNone(() -> {
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapLookupElem(m, key, value, 0);
                sim.mapLookupElem(m, missing, value, 0);
                sim.mapGetNextKey(m, null, next);
                sim.mapGetNextKey(m, key, next);
                sim.mapDeleteElem(m, key);
                sim.mapDeleteElem(m, missing);
            }, 8);
        } finally {
            sim.closeFd(m);
        }
    }

    @Test
    void arrayElementCommandsAllocateNothing() throws Exception {
        int m = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 16));
        int pc = sim.mapCreate(MapSpec.of(MapType.PERCPU_ARRAY, 4, 12, 16));
        try {
            byte[] key = {3, 0, 0, 0};
            byte[] last = {15, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] values = new byte[16 * sim.possibleCpus()];
            byte[] next = new byte[4];
            Allocations.assertNone(() -> {
                sim.mapUpdateElem(m, key, value, 0);
                sim.mapLookupElem(m, key, value, 0);
                sim.mapGetNextKey(m, key, next);
                sim.mapGetNextKey(m, last, next);
                sim.mapUpdateElem(pc, key, values, 0);
                sim.mapLookupElem(pc, key, values, 0);
            }, 6);
        } finally {
            sim.closeFd(m);
            sim.closeFd(pc);
        }
    }

    @Test
    void ownedMapHandlesAllocateNothingOnTheirBufferMethods() throws Exception {
        try (BpfMap map = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 8, 16).withName("named"))) {
            byte[] key = {1, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Allocations.assertNone(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.nextKey(null, next);
                map.delete(key);
            }, 4);
            assertFalse(map.lookup(key, value));
        }
    }
}
