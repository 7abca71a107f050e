package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Program BTF in the simulator: records are checked with the kernel's messages (the same cases
 * backend-linux's {@code ProgramBtfTest} runs on the real kernel), and the program keeps the BTF.
 */
class ProgramBtfTest extends SimTestBase {
    private int func;
    private int file;
    private int line;

    private byte[] btf() {
        BtfBuilder b = new BtfBuilder();
        int intId = b.addInt("int", 4, BtfType.Int.SIGNED);
        int proto = b.addFuncProto(intId, List.of(new BtfParam("ctx", b.addPtr(0))));
        func = b.addFunc("xdp_prog", proto, BtfLinkage.GLOBAL);
        file = b.addString("/src/xdp_prog.c");
        line = b.addString("    return XDP_PASS;");
        return b.marshal();
    }

    private static ProgramSpec spec() {
        return ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 2).exit().toArray(), "GPL");
    }

    private BtfExt.LineInfo lineAt(int insn) {
        return new BtfExt.LineInfo(insn * 8, file, line, 3 << 10, "/src/xdp_prog.c", "    return XDP_PASS;");
    }

    @Test
    void recordsAreCheckedAndTheProgramKeepsItsBtf() {
        LoadResult btf = sim.btfLoad(btf(), 0);
        try {
            LoadResult p = sim.progLoad(spec().withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, func)), List.of(lineAt(0))));
            assertEquals(sim.btfGetInfo(btf.fd()).id(), sim.progGetInfo(p.fd()).btfId());
            sim.closeFd(p.fd());

            VerifierException notFunc = assertThrows(VerifierException.class,
                    () -> sim.progLoad(spec().withBtf(btf.fd(), List.of(new BtfExt.FuncInfo(0, 1)), List.of())));
            assertEquals(Errno.EINVAL, notFunc.errno());
            assertTrue(notFunc.log().contains("invalid type id 1"), notFunc.log());

            VerifierException past = assertThrows(VerifierException.class, () -> sim.progLoad(spec().withBtf(btf.fd(),
                    List.of(new BtfExt.FuncInfo(0, func)), List.of(lineAt(0), lineAt(2)))));
            assertTrue(past.log().contains("Invalid line_info[1].insn_off:2"), past.log());

            VerifierException missing = assertThrows(VerifierException.class, () -> sim.progLoad(spec().withBtf(btf.fd(),
                    List.of(new BtfExt.FuncInfo(0, func)), List.of(lineAt(1)))));
            assertTrue(missing.log().contains("missing bpf_line_info for func#0"), missing.log());

            byte[] tail = new byte[12];
            ByteBuffer.wrap(tail).order(ByteOrder.nativeOrder()).putInt(0).putInt(func).putInt(1);
            VerifierException nonzero = assertThrows(VerifierException.class,
                    () -> sim.progLoad(spec().withBtf(new ProgramBtf(btf.fd(), 12, tail, 1, 0, null, 0))));
            assertEquals(Errno.E2BIG, nonzero.errno());
            assertTrue(nonzero.log().contains("nonzero tailing record in func info"), nonzero.log());
        } finally {
            sim.closeFd(btf.fd());
        }
    }

    @Test
    void theDescriptorMustBeALoadedBtfObject() {
        LoadResult other = sim.progLoad(spec());
        try {
            BpfException notBtf = assertThrows(BpfException.class, () -> sim.progLoad(spec().withBtf(other.fd(),
                    List.of(new BtfExt.FuncInfo(0, 3)), List.of())));
            assertEquals(Errno.EINVAL, notBtf.errno());
            BpfException closed = assertThrows(BpfException.class, () -> sim.progLoad(spec().withBtf(9999,
                    List.of(new BtfExt.FuncInfo(0, 3)), List.of())));
            assertEquals(Errno.EBADF, closed.errno());
        } finally {
            sim.closeFd(other.fd());
        }
    }
}
