package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfParam;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Programs loaded with BTF ({@code prog_btf_fd}, {@code func_info}, {@code line_info}) on the
 * real kernel: the verifier prints the source lines, reports the BTF id in the program's info,
 * and refuses bad records with its log.
 */
@ExtendWith(LeakCheck.class)
class ProgramBtfTest {
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    /** {@code int xdp_prog(void *ctx)}: its BTF and the string offsets of its source. */
    record Fixture(byte[] raw, int funcId, int file, int line1, int line2) {
    }

    static Fixture fixture() {
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int voidPtr = b.addPtr(0);
        int proto = b.addFuncProto(intId, List.of(new BtfParam("ctx", voidPtr)));
        int func = b.addFunc("xdp_prog", proto, BtfLinkage.GLOBAL);
        int file = b.addString("/src/xdp_prog.c");
        int l1 = b.addString("    int verdict = XDP_PASS;");
        int l2 = b.addString("    return verdict;");
        return new Fixture(b.marshal(), func, file, l1, l2);
    }

    static long[] program() {
        return new Asm().mov64(Register.R0, 2).exit().toArray();
    }

    static List<BtfExt.LineInfo> lines(Fixture f) {
        // insnOff in .BTF.ext bytes; line number 7 and 8, column 5.
        return List.of(new BtfExt.LineInfo(0, f.file(), f.line1(), 7 << 10 | 5, "/src/xdp_prog.c", "    int verdict = XDP_PASS;"),
                new BtfExt.LineInfo(8, f.file(), f.line2(), 8 << 10 | 5, "/src/xdp_prog.c", "    return verdict;"));
    }

    @Test
    void theVerifierLogShowsTheSourceLines() {
        Fixture f = fixture();
        try (BpfBtf btf = BpfBtf.load(bpf, f.raw())) {
            ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, program(), "GPL").withName("xdp_prog").withLog(2, 1 << 16)
                    .withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, f.funcId())), lines(f));
            LoadResult r = bpf.progLoad(spec);
            try {
                assertTrue(r.log().contains("; int verdict = XDP_PASS;"), r.log());
                assertTrue(r.log().contains("; return verdict;"), r.log());
                assertEquals(btf.info().id(), bpf.progGetInfo(r.fd()).btfId());
            } finally {
                bpf.closeFd(r.fd());
            }
        }
    }

    @Test
    void badRecordsAreRefusedWithTheVerifierLog() {
        Fixture f = fixture();
        try (BpfBtf btf = BpfBtf.load(bpf, f.raw())) {
            ProgramSpec base = ProgramSpec.of(ProgramType.XDP, program(), "GPL");
            // A func_info whose type is the INT, not a FUNC.
            VerifierException notFunc = assertThrows(VerifierException.class,
                    () -> bpf.progLoad(base.withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, 1)), List.of())));
            assertTrue(notFunc.log().contains("invalid type id 1"), notFunc.log());
            // A line_info past the last instruction.
            List<BtfExt.LineInfo> past = List.of(lines(f).get(0), new BtfExt.LineInfo(16, f.file(), f.line2(), 8 << 10, "", ""));
            VerifierException pastEnd = assertThrows(VerifierException.class,
                    () -> bpf.progLoad(base.withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, f.funcId())), past)));
            assertTrue(pastEnd.log().contains("Invalid line_info[1].insn_off:2"), pastEnd.log());
            // No line for the first instruction of the (only) function.
            List<BtfExt.LineInfo> late = List.of(lines(f).get(1));
            VerifierException missing = assertThrows(VerifierException.class,
                    () -> bpf.progLoad(base.withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, f.funcId())), late)));
            assertTrue(missing.log().contains("missing bpf_line_info for func#0"), missing.log());
            // A descriptor that is not BTF.
            LoadResult other = bpf.progLoad(base);
            try {
                io.bpf4j.api.BpfException notBtf = assertThrows(io.bpf4j.api.BpfException.class,
                        () -> bpf.progLoad(base.withBtf(other.fd(), List.of(new BtfExt.FuncInfo(0, f.funcId())), List.of())));
                assertEquals(io.bpf4j.api.Errno.EINVAL, notBtf.errno());
            } finally {
                bpf.closeFd(other.fd());
            }
            // A record whose bytes past the known fields are not zero.
            byte[] tail = new byte[12];
            java.nio.ByteBuffer.wrap(tail).order(java.nio.ByteOrder.nativeOrder()).putInt(0).putInt(f.funcId()).putInt(1);
            VerifierException nonzero = assertThrows(VerifierException.class,
                    () -> bpf.progLoad(base.withBtf(new ProgramBtf(btf.fd(), 12, tail, 1, 0, null, 0))));
            assertTrue(nonzero.log().contains("nonzero tailing record in func info"), nonzero.log());
        }
    }

    @Test
    void badSizesAreRefusedBeforeTheKernel() {
        ProgramSpec base = ProgramSpec.of(ProgramType.XDP, program(), "GPL");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> bpf.progLoad(base.withBtf(new ProgramBtf(3, 12, new byte[24], 1, 8, new byte[8], 1))));
        assertTrue(small.getMessage().startsWith("btf.lineInfoRecSize: 8"), small.getMessage());
        IllegalArgumentException fit = assertThrows(IllegalArgumentException.class,
                () -> bpf.progLoad(base.withBtf(new ProgramBtf(3, 8, new byte[8], 2, 0, null, 0))));
        assertTrue(fit.getMessage().startsWith("btf.funcInfo: 2 records of 8 bytes"), fit.getMessage());
    }
}
