package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * A fresh two-CPU simulator per test (the machine the kernel facts in these tests were taken on
 * has two possible CPUs), and byte helpers. Each test must close what it opens: the descriptor
 * count is checked after every test.
 */
abstract class SimTestBase {
    SimBpf sim;
    private int baseline;

    /** Asserts the verifier refuses {@code spec} with {@code errno} and a log containing {@code message}. */
    VerifierException refused(ProgramSpec spec, Errno errno, String message) {
        BpfException e = assertThrows(BpfException.class, () -> sim.progLoad(spec));
        VerifierException v = assertInstanceOf(VerifierException.class, e, e.getMessage());
        assertEquals(errno, v.errno(), v.log());
        assertTrue(v.log().contains(message), v.log());
        return v;
    }

    /** Loads a GPL program of type {@code t} (it must load) and returns its verifier log. */
    String accepted(ProgramType t, Asm a) {
        LoadResult r = sim.progLoad(ProgramSpec.of(t, a.toArray(), "GPL").withLog(1, 1 << 16));
        sim.closeFd(r.fd());
        return r.log();
    }

    @BeforeEach
    void open() {
        sim = Simulator.builder().possibleCpus(2).seed(42).build();
        baseline = sim.openDescriptors();
    }

    @AfterEach
    void noLeaks() {
        assertEquals(baseline, sim.openDescriptors(), "descriptors leaked by the test");
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off);
    }

    static long u64(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off);
    }

    /** Expects a BpfException with the errno and returns it. */
    static BpfException fails(Errno errno, Executable e) {
        BpfException x = assertThrows(BpfException.class, e);
        assertEquals(errno, x.errno(), x.getMessage());
        assertEquals("sim", x.backend());
        assertEquals(errno.linux(), x.rawErrno(), "the raw number is Linux's");
        return x;
    }

    /**
     * Expects the check every backend makes in Java: an IllegalArgumentException whose message
     * starts with the parameter's name.
     */
    static IllegalArgumentException rejected(String param, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        org.junit.jupiter.api.Assertions.assertTrue(x.getMessage().startsWith(param + ":"), x.getMessage());
        return x;
    }

    int map(MapType t, int k, int v, int max) {
        return sim.mapCreate(MapSpec.of(t, k, v, max));
    }

    /** {@code r0 = ret; exit}. */
    static long[] ret(int r0) {
        return new Asm().mov64(Register.R0, r0).exit().toArray();
    }

    int prog(ProgramType t, long[] insns) {
        return sim.progLoad(ProgramSpec.of(t, insns, "GPL")).fd();
    }
}
