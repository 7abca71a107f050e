package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProviderTest extends SimTestBase {
    @Test
    void theProviderIsFoundAndIsNotAKernel() {
        BpfProvider p = ServiceLoader.load(BpfProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("sim")).findFirst().orElseThrow();
        assertInstanceOf(SimProvider.class, p);
        assertEquals(0, p.priority());
        assertFalse(p.isKernel());
        assertTrue(p.availability().available());
        try (Bpf bpf = Bpf.open("sim")) {
            assertEquals("sim", bpf.name());
            assertTrue(bpf.possibleCpus() >= 1);
        }
    }

    @Test
    void theBuilderSetsTheCpuCount() {
        try (SimBpf s = Simulator.builder().possibleCpus(4).build()) {
            assertEquals(4, s.possibleCpus());
        }
        assertThrows(IllegalArgumentException.class, () -> Simulator.builder().possibleCpus(0));
        assertThrows(IllegalArgumentException.class, () -> Simulator.builder().bpffsMount("relative"));
    }

    @Test
    void capabilitiesAreExactAndUnsupportedThingsThrowWithTheSameReason() {
        Capabilities c = sim.capabilities();
        for (MapType t : new MapType[] {MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.PERCPU_ARRAY,
                MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.LPM_TRIE, MapType.QUEUE, MapType.STACK,
                MapType.BLOOM_FILTER, MapType.RINGBUF, MapType.PROG_ARRAY, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS,
                MapType.PERF_EVENT_ARRAY}) {
            assertTrue(c.mapType(t).supported(), t.toString());
        }
        for (MapType t : new MapType[] {MapType.SOCKMAP, MapType.XSKMAP, MapType.CGROUP_STORAGE, MapType.STRUCT_OPS,
                MapType.ARENA, MapType.TASK_STORAGE, MapType.SOCKHASH}) {
            Support s = c.mapType(t);
            assertFalse(s.supported(), t.toString());
            assertTrue(s.reason().startsWith("not simulated"), s.reason());
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> sim.mapCreate(MapSpec.of(t, 4, 4, 1)));
            assertEquals(s.reason(), e.reason());
            assertEquals(Operation.MAP_CREATE, e.operation());
        }
        Support tracing = c.programType(ProgramType.TRACING);
        assertFalse(tracing.supported());
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                () -> sim.progLoad(ProgramSpec.of(ProgramType.TRACING, ret(0), "GPL")));
        assertEquals(tracing.reason(), e.reason());
        assertTrue(c.operation(Operation.PROG_TEST_RUN).supported());
        assertFalse(c.operation(Operation.ITER_CREATE).supported());
        assertThrows(BpfUnsupportedException.class, () -> sim.iterCreate(3, 0));
        assertTrue(c.attachType(AttachType.TCX_INGRESS).supported());
        assertFalse(c.attachType(AttachType.SK_MSG_VERDICT).supported());
        assertTrue(c.linkType(LinkType.CGROUP).supported());
        assertFalse(c.linkType(LinkType.KPROBE_MULTI).supported());
    }
}
