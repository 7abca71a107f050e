package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.ObjectFormatException;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.sim.Simulator;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ksyms.o: kfunc calls ({@code BPF_PSEUDO_KFUNC_CALL} with the kernel's BTF id) that run on the
 * kernel, a __weak kfunc this kernel lacks (its call poisoned in code the verifier proves dead),
 * a kfunc's and a kernel symbol's address, a typed kernel variable, and a declaration that does
 * not match the kernel's prototype. The simulator, which has no kernel BTF and runs no kfuncs,
 * says so naming the extern.
 */
@ExtendWith(LeakCheck.class)
class KsymsTest {
    static final int XDP_PASS = 2;

    static long run(BpfCollection obj, String program) {
        return obj.program(program).testRun(TestRunSpec.ofData(new byte[64])).retval();
    }

    @Test
    void theSpecListsEachProgramsKernelSymbols() {
        ObjectSpec spec = Corpus.spec("ksyms.o");
        assertEquals(List.of("bpf_iter_num_new", "bpf_iter_num_next", "bpf_iter_num_destroy", "bpf4j_no_such_kfunc"),
                spec.program("kfunc_sum").kernelSymbols());
        assertEquals(List.of("_stext"), spec.program("symbol_addr").kernelSymbols());
        assertEquals(List.of("runqueues"), spec.program("typed_var").kernelSymbols());
    }

    @Test
    void kfuncsRunOnTheKernel() {
        ObjectSpec spec = Corpus.spec("ksyms.o").withPrograms("kfunc_sum");
        Recording.Backend rec = Recording.of(LinuxKernel.open());
        try (Bpf bpf = rec.bpf(); BpfCollection obj = spec.load(bpf)) {
            long[] insns = rec.loads().get(0).instructions();
            Set<Integer> kfuncs = new TreeSet<>();
            Set<Integer> btfIds = new TreeSet<>();
            Set<Integer> helpers = new TreeSet<>();
            for (int i = 0; i < insns.length; i++) {
                if (Recording.code(insns[i]) == 0x85 && Recording.src(insns[i]) == 2) kfuncs.add(Recording.imm(insns[i]));
                if (Recording.code(insns[i]) == 0x85 && Recording.src(insns[i]) == 0) helpers.add(Recording.imm(insns[i]));
                if (Recording.code(insns[i]) == 0x18 && Recording.src(insns[i]) == 3) btfIds.add(Recording.imm(insns[i]));
            }
            assertEquals(new TreeSet<>(List.of(Recording.vmlinuxId("FUNC", "bpf_iter_num_new"),
                    Recording.vmlinuxId("FUNC", "bpf_iter_num_next"), Recording.vmlinuxId("FUNC", "bpf_iter_num_destroy"))), kfuncs,
                    "BPF_PSEUDO_KFUNC_CALL with each kfunc's vmlinux id");
            assertEquals(Set.of(Recording.vmlinuxId("FUNC", "bpf_iter_num_destroy")), btfIds, "its address: BPF_PSEUDO_BTF_ID");
            // libbpf's poison: 2002000000 + the extern's number (.ksyms by name: _stext, then bpf4j_no_such_kfunc).
            assertTrue(helpers.contains(2002000001), "poisoned call: " + helpers);
            assertEquals(XDP_PASS, run(obj, "kfunc_sum"));
            assertEquals(45, obj.variable("sum").getLong(), "bpf_iter_num_* counted 0..9");
            assertEquals(1, obj.variable("has_destroy").getLong(), "a __weak kfunc the kernel has: its address is not 0");
            assertEquals(0, obj.variable("missing_exists").getLong(), "a __weak kfunc the kernel lacks: address 0");
            assertEquals(0, obj.variable("missing_called").getLong());
        }
    }

    @Test
    void aTypelessSymbolIsItsAddressFromKallsyms() throws IOException {
        long expected;
        try (Stream<String> lines = Files.lines(Path.of("/proc/kallsyms"))) {
            expected = lines.map(l -> l.split("\\s+")).filter(f -> f.length >= 3 && f[2].equals("_stext"))
                    .mapToLong(f -> Long.parseUnsignedLong(f[0], 16)).findFirst().orElseThrow();
        }
        assertTrue(expected != 0, "/proc/kallsyms shows addresses to root");
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = Corpus.spec("ksyms.o").withPrograms("symbol_addr").load(bpf)) {
            assertEquals(XDP_PASS, run(obj, "symbol_addr"));
            assertEquals(expected, obj.variable("stext").getLong());
        }
    }

    /**
     * The load reaches the kernel as {@code BPF_PSEUDO_BTF_ID} with runqueues' id, and this
     * kernel (built without CONFIG_KALLSYMS_ALL) has no address for a data symbol: its verifier
     * answers ENOENT ("ldimm64 failed to find the address for kernel symbol"), which it gives
     * only once the id names a VAR or FUNC of its BTF (any other id is EINVAL).
     */
    @Test
    void aTypedVariableReachesTheKernelByItsBtfId() {
        Recording.Backend rec = Recording.of(LinuxKernel.open());
        try (Bpf bpf = rec.bpf()) {
            BpfException e = assertThrows(BpfException.class, () -> Corpus.spec("ksyms.o").withPrograms("typed_var").load(bpf).close());
            assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("program \"typed_var\""), e.getMessage());
            long[] insns = rec.loads().get(0).instructions();
            int at = 0;
            while (!(Recording.code(insns[at]) == 0x18 && Recording.src(insns[at]) == 3)) at++;
            assertEquals(Recording.vmlinuxId("VAR", "runqueues"), Recording.imm(insns[at]), "BPF_PSEUDO_BTF_ID of runqueues");
            assertEquals(0, Recording.imm(insns[at + 1]), "vmlinux, not a module: no BTF object descriptor");
        }
    }

    @Test
    void aPrototypeUnlikeTheKernelsIsRefused() {
        try (Bpf bpf = LinuxKernel.open()) {
            ObjectFormatException e = assertThrows(ObjectFormatException.class,
                    () -> Corpus.spec("ksyms.o").withPrograms("bad_proto").load(bpf).close());
            assertEquals("bpf_cast_to_kern_ctx", e.symbol());
            assertTrue(e.getMessage().contains("not compatible"), e.getMessage());
        }
    }

    @Test
    void theSimulatorNamesTheKernelSymbolsItLacks() {
        try (Bpf sim = Simulator.builder().build()) {
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                    () -> Corpus.spec("ksyms.o").withPrograms("kfunc_sum").load(sim).close());
            assertTrue(e.getMessage().contains("kfunc 'bpf_iter_num_new'") && e.getMessage().contains("program \"kfunc_sum\"")
                    && e.getMessage().contains("publishes no kernel BTF"), e.getMessage());
            e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("ksyms.o").withPrograms("typed_var").load(sim).close());
            assertTrue(e.getMessage().contains("kernel variable 'runqueues'"), e.getMessage());
            e = assertThrows(BpfUnsupportedException.class, () -> Corpus.spec("ksyms.o").withPrograms("symbol_addr").load(sim).close());
            assertTrue(e.getMessage().contains("kernel symbol '_stext'") && e.getMessage().contains("not the running kernel"),
                    e.getMessage());
        }
    }
}
