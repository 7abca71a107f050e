package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Register;
import org.junit.jupiter.api.Test;

/** Each refusal below was checked on Linux 6.18: same errno, same verifier message. */
class ProgramLoadTest extends SimTestBase {
    private static long i(int code, int dst, int src, int off, int imm) {
        return new Instruction(code, dst, src, off, imm).encode();
    }

    private VerifierException refused(Errno errno, String message, long... insns) {
        BpfException e = assertThrows(BpfException.class,
                () -> sim.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, insns, "GPL")));
        VerifierException v = assertInstanceOf(VerifierException.class, e, e.getMessage());
        assertEquals(errno, v.errno(), v.log());
        assertEquals(Operation.PROG_LOAD, v.operation());
        assertTrue(v.log().contains(message), v.log());
        assertTrue(v.log().contains("processed "), "the log ends with the verifier's statistics: " + v.log());
        return v;
    }

    @Test
    void structuralRefusalsMatchTheKernel() {
        long exit = i(0x95, 0, 0, 0, 0);
        long r0 = i(0xb7, 0, 0, 0, 1);
        refused(Errno.EACCES, "R0 !read_ok", exit);
        refused(Errno.EINVAL, "last insn is not an exit or jmp", r0);
        refused(Errno.EACCES, "frame pointer is read only", i(0xb7, 10, 0, 0, 0), exit);
        refused(Errno.EINVAL, "div by zero", r0, i(0x37, 0, 0, 0, 0), exit);
        refused(Errno.EINVAL, "invalid shift 64", r0, i(0x67, 0, 0, 0, 64), exit);
        refused(Errno.EINVAL, "unreachable insn 2", r0, exit, r0, exit);
        refused(Errno.EINVAL, "jump out of range from insn 1 to 7", r0, i(0x05, 0, 0, 5, 0), exit);
        // The kernel reports the unreachable first half before the jump into its second half.
        refused(Errno.EINVAL, "unreachable insn 2", r0, i(0x05, 0, 0, 1, 0), i(0x18, 1, 0, 0, 0), 0L, exit);
        refused(Errno.EINVAL, "jump into the middle of ldimm64 insn 0", i(0x18, 1, 0, 0, 0), 0L,
                r0, i(0x15, 0, 0, -3, 0), exit);
        refused(Errno.EINVAL, "unknown opcode ff", r0, i(0xff, 0, 0, 0, 0), exit);
        refused(Errno.EINVAL, "BPF_MOV uses reserved fields", i(0xb7, 0, 1, 0, 1), exit);
        refused(Errno.EACCES, "R2 !read_ok", i(0xbf, 0, 2, 0, 0), exit);
        refused(Errno.EBADF, "fd 999 is not pointing to valid bpf_map", i(0x18, 1, 1, 0, 999), 0L, r0, exit);
        refused(Errno.EINVAL, "invalid bpf_ld_imm64 insn", r0, i(0x18, 1, 0, 0, 0), exit);
    }

    @Test
    void nonGplProgramsCannotCallGplOnlyHelpers() {
        long[] printk = new Asm().mov64(Register.R1, 0).mov64(Register.R2, 0).call(io.bpf4j.api.asm.Helper.TRACE_PRINTK)
                .mov64(Register.R0, 0).exit().toArray();
        VerifierException e = assertThrows(VerifierException.class,
                () -> sim.progLoad(ProgramSpec.of(ProgramType.KPROBE, printk, "MIT")));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.log().contains("cannot call GPL-restricted function from non-GPL compatible program"), e.log());
        long[] ktime = new Asm().call(io.bpf4j.api.asm.Helper.KTIME_GET_NS).mov64(Register.R0, 0).exit().toArray();
        int p = sim.progLoad(ProgramSpec.of(ProgramType.KPROBE, ktime, "MIT")).fd();
        sim.closeFd(p);
    }

    @Test
    void anLdImm64OfAProgramIsEinval() {
        int p = prog(ProgramType.SOCKET_FILTER, ret(0));
        refused(Errno.EINVAL, "fd " + p + " is not pointing to valid bpf_map", i(0x18, 1, 1, 0, p), 0L, i(0xb7, 0, 0, 0, 0),
                i(0x95, 0, 0, 0, 0));
        sim.closeFd(p);
    }

    @Test
    void aLoadedProgramReportsWhatTheKernelReports() {
        LoadResult r = sim.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, ret(0), "GPL").withLog(1, 4096));
        assertTrue(r.log().startsWith("processed 2 insns"), r.log());
        var info = sim.progGetInfo(r.fd());
        // Linux 6.18: r0 = 0; exit has this tag.
        assertEquals("59f4a931744dcdc6", info.tag());
        assertEquals(ProgramType.SOCKET_FILTER, info.type());
        assertEquals(1, info.rawType());
        assertEquals(16, info.xlatedSize());
        assertEquals(2, info.verifiedInstructions());
        sim.closeFd(r.fd());
        int q = sim.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, ret(0), "Proprietary")).fd();
        assertFalse(sim.progGetInfo(q).gplCompatible());
        sim.closeFd(q);
        // r0 = 0; if r1 == 0 goto +1; r0 = 1; exit: the kernel walks both paths, 5 insns.
        long[] branchy = new Asm().mov64(Register.R0, 0).jeq(Register.R1, 0, "out").mov64(Register.R0, 1)
                .label("out").exit().toArray();
        int b = prog(ProgramType.SOCKET_FILTER, branchy);
        assertEquals(5, sim.progGetInfo(b).verifiedInstructions());
        sim.closeFd(b);
    }

    @Test
    void expectedAttachTypesFollowTheKernelsRules() {
        fails(Errno.EINVAL, () -> sim.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK_ADDR, ret(1), "GPL")));
        fails(Errno.EINVAL, () -> sim.progLoad(ProgramSpec.of(ProgramType.CGROUP_SKB, ret(1), "GPL")
                .withExpectedAttachType(AttachType.CGROUP_INET4_BIND)));
        int p = sim.progLoad(ProgramSpec.of(ProgramType.CGROUP_SOCK, ret(1), "GPL")).fd();
        sim.closeFd(p);
        fails(Errno.EINVAL, () -> sim.progLoad(ProgramSpec.of(ProgramType.SYSCALL, ret(0), "GPL")
                .withExpectedAttachType(AttachType.XDP)));
        // A flag Linux 6.18 does not define: refused in Java on every backend.
        rejected("flags", () -> sim.progLoad(ProgramSpec.of(ProgramType.XDP, ret(0), "GPL").withFlags(1 << 12)));
    }

    @Test
    void loadWithAMapByFdArrayIndex() {
        int m = map(MapType.ARRAY, 4, 8, 1);
        long[] insns = new Asm().ldMapIdx(Register.R1, 0).mov64(Register.R0, 0).exit().toArray();
        int p = sim.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL").withFdArray(m)).fd();
        assertEquals(sim.mapGetInfo(m).id(), sim.progGetInfo(p).mapIds()[0]);
        // Without an fd array the kernel answers EPROTO.
        assertEquals(Errno.EPROTO, assertThrows(VerifierException.class,
                () -> sim.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "GPL"))).errno());
        sim.progBindMap(p, m, 0);
        sim.closeFd(m);
        sim.closeFd(p);
    }
}
