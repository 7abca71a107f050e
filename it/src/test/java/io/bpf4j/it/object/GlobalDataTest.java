package io.bpf4j.it.object;

import static io.bpf4j.it.object.Corpus.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.GlobalVariable;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.testsupport.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * global_data.o: every global-data section as a map, configured before load ({@code .rodata}),
 * changed by the program ({@code .data}, {@code .bss}, {@code .data.counters}) and read and
 * written from Java, with the same results on the kernel and the simulator.
 */
@ExtendWith(LeakCheck.class)
class GlobalDataTest {
    static final int XDP_ABORTED = 0;
    static final int XDP_DROP = 1;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void variablesAreSharedWithTheProgram(String backend) {
        ObjectSpec spec = Corpus.spec("global_data.o").withVariable("verdict", XDP_DROP).withVariable("factor", 5);
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = spec.load(bpf)) {
            MapInfo ro = obj.map(".rodata").info();
            assertEquals(MapType.ARRAY, ro.type());
            assertEquals("global_d.rodata", ro.name());
            assertEquals(1, ro.maxEntries());
            // Linux 6.18 and the simulator have mmap()able arrays, so the loader kept the flag.
            assertEquals(MapFlags.RDONLY_PROG | MapFlags.MMAPABLE, ro.flags());
            assertEquals(MapFlags.MMAPABLE, obj.map(".bss").info().flags());
            // The object's BTF is loaded, and each global-data map's value type is its DATASEC, as libbpf makes them.
            assertEquals(java.util.Optional.empty(), obj.btfProblem());
            assertTrue(ro.btfId() > 0);
            assertEquals(spec.map(".rodata").btfValueTypeId(), ro.btfValueTypeId());
            assertEquals(0, ro.btfKeyTypeId());
            assertEquals(List.of("global_d.data", ".data.counters", "global_d.bss", ".rodata.greetin"),
                    List.of(obj.map(".data").info().name(), obj.map(".data.counters").info().name(),
                            obj.map(".bss").info().name(), obj.map(".rodata.greeting").info().name()));

            BpfProgram p = obj.program("use_globals");
            assertEquals(XDP_DROP, p.testRun(TestRunSpec.ofData(new byte[64])).retval(), "verdict set before load");
            assertEquals(XDP_DROP, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
            assertEquals(2, obj.variable("calls").getLong(), ".bss written by the program");
            assertEquals(64, obj.variable("last_len").getLong());
            assertEquals(100 + 2 * 64 * 5, obj.variable("total").getLong(), ".data: initial value plus the program's adds");
            assertEquals(5 + 2 * 2, obj.variable("runs").getLong(), ".data.counters");
            assertEquals("hello", new String(obj.variable("greeting").get(), StandardCharsets.US_ASCII).replace("\0", ""));

            GlobalVariable total = obj.variable("total");
            total.setLong(0);
            obj.variable("calls").setLong(1000);
            p.testRun(TestRunSpec.ofData(new byte[32]));
            assertEquals(32 * 5, total.getLong(), "the program saw Java's write");
            assertEquals(1001, obj.variable("calls").getLong());

            IllegalStateException frozen = assertThrows(IllegalStateException.class, () -> obj.variable("verdict").setLong(2));
            assertTrue(frozen.getMessage().contains("frozen"), frozen.getMessage());
            BpfException e = assertThrows(BpfException.class, () -> obj.map(".rodata").put(u32(0), new byte[obj.map(".rodata").valueSize()]));
            assertEquals(Errno.EPERM, e.errno(), ".rodata is frozen: " + e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.bpf4j.it.object.Corpus#backends")
    void aCustomRodataSectionIsConfiguredToo(String backend) {
        ObjectSpec spec = Corpus.spec("global_data.o").withVariable("greeting",
                "Hello\0\0\0".getBytes(StandardCharsets.US_ASCII));
        try (Bpf bpf = Corpus.open(backend); BpfCollection obj = spec.load(bpf)) {
            assertEquals(XDP_ABORTED, obj.program("use_globals").testRun(TestRunSpec.ofData(new byte[64])).retval(),
                    "greeting[0] is no longer 'h'");
        }
    }
}
