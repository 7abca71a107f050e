package io.bpf4j.it.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.typed.Codecs;
import io.bpf4j.api.typed.TypedMap;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Allocations;
import io.bpf4j.testsupport.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The typed path allocates no more than what it decodes: lookups and updates of a
 * {@code u32 -> u64} map whose keys and values are small enough for {@code Long}'s cache
 * allocate nothing at all per call, on the kernel.
 */
@ExtendWith(LeakCheck.class)
class TypedAllocationTest {
    @Test
    void typedLookupsAndUpdatesAllocateOnlyWhatTheyDecode() throws Exception {
        try (Bpf bpf = LinuxKernel.open(); BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 16))) {
            TypedMap<Long, Long> t = TypedMap.of(map, Codecs.u32(), Codecs.u64());
            Long key = 5L;
            Long value = 7L;
            t.put(key, value);
            assertEquals(7L, t.get(key));
            long[] sum = new long[1];
            Allocations.assertNone(() -> {
                t.put(key, value);
                Long v = t.get(key);
                if (v != null) sum[0] += v;
                if (t.containsKey(6L)) sum[0]++;
            }, 3);
            assertEquals(0, sum[0] % 7, "every lookup found 7 and none found key 6");
        }
    }
}
