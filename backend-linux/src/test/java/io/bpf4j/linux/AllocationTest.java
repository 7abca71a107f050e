package io.bpf4j.linux;


import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The element commands allocate nothing per call (per-thread scratch, layouts read into it or passed by handles). */
@ExtendWith(LeakCheck.class)
class AllocationTest {
    @Test
    void ownedMapHandlesAllocateNothingOnTheirBufferMethods() throws Exception {
        try (LinuxBpf bpf = RealKernel.open();
             io.bpf4j.api.BpfMap map = io.bpf4j.api.BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16).withName("named"))) {
            byte[] key = {1, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Allocations.assertNone(() -> {
                map.update(key, value, 0);
                map.lookup(key, value);
                map.nextKey(null, next);
                map.delete(key);
            }, 4);
        }
    }

    @Test
    void elementCommandsAllocateNothing() throws Exception {
        LinuxBpf bpf = RealKernel.open();
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16));
        try {
            byte[] key = {1, 0, 0, 0};
            byte[] missing = {9, 0, 0, 0};
            byte[] value = new byte[8];
            byte[] next = new byte[4];
            Runnable round = () -> {
                bpf.mapUpdateElem(m, key, value, 0);
                bpf.mapLookupElem(m, key, value, 0);
                bpf.mapLookupElem(m, missing, value, 0);
                bpf.mapGetNextKey(m, null, next);
                bpf.mapDeleteElem(m, key);
                bpf.mapDeleteElem(m, missing);
            };
            Allocations.assertNone(round, 6);
        } finally {
            bpf.closeFd(m);
            bpf.close();
        }
    }
}
