package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MappedRegion;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.GlobalVariable;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.LeakCheck;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ReadOnlyBufferException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * global_data.o on the kernel: the global-data maps are mmapable, so variables are read and
 * written through memory mapped into the process. The backend sits behind a proxy that counts
 * the calls that reach it: no map lookup or update may happen for a variable access.
 */
@ExtendWith(LeakCheck.class)
class GlobalDataMmapTest {
    private static final int XDP_DROP = 1;

    /** Counts the backend calls by method name. */
    private static final class Counting {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Bpf bpf;

        Counting(Bpf real) {
            bpf = (Bpf) Proxy.newProxyInstance(Bpf.class.getClassLoader(), new Class<?>[] {Bpf.class}, (p, m, args) -> {
                calls.computeIfAbsent(m.getName(), n -> new AtomicInteger()).incrementAndGet();
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }

        int elementCalls() {
            int n = 0;
            for (Map.Entry<String, AtomicInteger> e : calls.entrySet()) {
                if (e.getKey().startsWith("mapLookup") || e.getKey().startsWith("mapUpdate")) n += e.getValue().get();
            }
            return n;
        }
    }

    @Test
    void variablesGoThroughTheMappingWithoutASystemCall() {
        ObjectSpec spec = Corpus.spec("global_data.o").withVariable("verdict", XDP_DROP).withVariable("factor", 5);
        try (Bpf real = LinuxKernel.open()) {
            Counting c = new Counting(real);
            try (BpfCollection obj = spec.load(c.bpf)) {
                run(obj, c);
            }
        }
    }

    private static void run(BpfCollection obj, Counting c) {
        GlobalVariable calls = obj.variable("calls");
        GlobalVariable lastLen = obj.variable("last_len");
        GlobalVariable total = obj.variable("total");
        GlobalVariable runs = obj.variable("runs");
        GlobalVariable verdict = obj.variable("verdict");
        for (GlobalVariable v : new GlobalVariable[] {calls, lastLen, total, runs, verdict}) {
            assertTrue(v.mapped(), v + " is mapped");
        }
        int before = c.elementCalls();

        BpfProgram p = obj.program("use_globals");
        assertEquals(0, calls.getLong(), ".bss is zero at load");
        assertEquals(XDP_DROP, p.testRun(TestRunSpec.ofData(new byte[64])).retval());
        assertEquals(1, calls.getLong(), "the program's write is seen through the mapping");
        assertEquals(64, lastLen.getLong());
        assertEquals(100 + 64 * 5, total.getLong());
        assertEquals(7, runs.getLong(), ".data.counters");
        assertEquals(XDP_DROP, verdict.getLong(), ".rodata is readable through its read-only mapping");

        total.setLong(0);
        calls.setLong(1000);
        p.testRun(TestRunSpec.ofData(new byte[32]));
        assertEquals(32 * 5, total.getLong(), "the program saw Java's write to .data");
        assertEquals(1001, calls.getLong(), "the program saw Java's write to .bss");
        assertEquals(before, c.elementCalls(), "no map lookup or update for variable reads and writes");

        // The same bytes through the syscall path, to show the mapping is the map's value.
        byte[] bss = obj.map(".bss").lookup(Corpus.u32(0)).orElseThrow();
        int at = calls.spec().offset();
        assertEquals(1001, Corpus.u64(java.util.Arrays.copyOfRange(bss, at, at + 8)));
        assertTrue(c.elementCalls() > before, "the proxy does count lookups");
    }

    @Test
    void rodataMapsReadOnlyOnly() {
        ObjectSpec spec = Corpus.spec("global_data.o");
        try (Bpf bpf = LinuxKernel.open(); BpfCollection obj = spec.load(bpf)) {
            BpfMap ro = obj.map(".rodata");
            try (MappedRegion r = bpf.mapMmap(ro.fd(), ro.valueSize(), false)) {
                assertTrue(r.buffer().isReadOnly());
                assertThrows(ReadOnlyBufferException.class, () -> r.buffer().put(0, (byte) 1));
            }
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapMmap(ro.fd(), ro.valueSize(), true));
            assertEquals(Errno.EPERM, e.errno(), "a frozen map has no writable mapping: " + e.getMessage());
            IllegalStateException frozen = assertThrows(IllegalStateException.class, () -> obj.variable("verdict").setLong(2));
            assertTrue(frozen.getMessage().contains("frozen"), frozen.getMessage());
            assertThrows(IllegalArgumentException.class, () -> bpf.mapMmap(ro.fd(), 0, false));
        }
    }

    @Test
    void aVariableIsUnusableOnceTheCollectionIsClosed() {
        try (Bpf bpf = LinuxKernel.open()) {
            BpfCollection obj = Corpus.spec("global_data.o").load(bpf);
            GlobalVariable calls = obj.variable("calls");
            assertTrue(calls.mapped());
            calls.setLong(7);
            assertEquals(7, calls.getLong());
            obj.close();
            assertThrows(IllegalStateException.class, calls::getLong);
            assertThrows(IllegalStateException.class, () -> calls.setLong(1));
            assertThrows(IllegalStateException.class, calls::get);
            assertThrows(IllegalStateException.class, () -> obj.variable("calls"));
        }
    }
}
