package io.bpf4j.sim;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Calls checked in the caller's context: stack pointers into a caller's frame, references across
 * calls, the stack summed along call chains, frames, and callbacks' arguments and return values
 * (the same programs are compared with Linux 6.18 in the differential tests).
 */
class VerifierCallsTest extends SimTestBase {
    private void refused(Asm a, Errno errno, String message) {
        refused(ProgramSpec.of(ProgramType.XDP, a.toArray(), "GPL"), errno, message);
    }

    private String accepted(Asm a) {
        return accepted(ProgramType.XDP, a);
    }

    @Test
    void aCalleeIsHeldToItsCallersFrame() {
        String log = accepted(new Asm().mov64(R1, R10).add64(R1, -8).callLocal("f").ldxdw(R0, R10, -8).mov64(R0, 2).exit()
                .label("f").stdw(R1, 0, 7).mov64(R0, 0).exit());
        assertFalse(log.contains("unverified"), log);
        refused(new Asm().mov64(R1, R10).add64(R1, -8).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R1, 8, 7).mov64(R0, 0).exit(), Errno.EACCES, "invalid write to stack R1 off=0 size=8");
        refused(new Asm().mov64(R1, 8).callLocal("f").mov64(R0, 2).exit()
                .label("f").ldxdw(R0, R1, 0).mov64(R0, 0).exit(), Errno.EACCES, "R1 invalid mem access 'scalar'");
        refused(new Asm().mov64(R1, R10).add64(R1, -8).callLocal("f").mov64(R0, 2).exit()
                .label("f").mov64(R2, R10).add64(R2, -8).stxdw(R1, 0, R2).mov64(R0, 0).exit(), Errno.EINVAL,
                "cannot spill pointers to stack into stack frame of the caller");
        refused(new Asm().callLocal("f").mov64(R0, 2).exit().label("f").mov64(R0, R10).exit(), Errno.EINVAL,
                "cannot return stack pointer to the caller");
    }

    @Test
    void theCallerKeepsR6ToR9AndLosesR1ToR5() {
        accepted(new Asm().mov64(R6, R10).add64(R6, -8).callLocal("f").stdw(R6, 0, 1).mov64(R0, 2).exit()
                .label("f").mov64(R6, 5).mov64(R0, 0).exit());
        refused(new Asm().mov64(R1, 1).callLocal("f").mov64(R0, R1).mov64(R0, 2).exit()
                .label("f").mov64(R0, 0).exit(), Errno.EACCES, "R1 !read_ok");
    }

    @Test
    void referencesCrossCalls() {
        int ring = sim.mapCreate(MapSpec.of(MapType.RINGBUF, 0, 0, 4096));
        refused(new Asm().callLocal("f").mov64(R0, 2).exit()
                .label("f").ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).mov64(R0, 0).exit(),
                Errno.EINVAL, "Unreleased reference");
        accepted(new Asm().ldMapFd(R1, ring).mov64(R2, 8).mov64(R3, 0).call(Helper.RINGBUF_RESERVE).jeq(R0, 0, "out")
                .mov64(R1, R0).callLocal("f").label("out").mov64(R0, 2).exit()
                .label("f").mov64(R2, 0).call(Helper.RINGBUF_SUBMIT).mov64(R0, 0).exit());
        sim.closeFd(ring);
    }

    @Test
    void theStackIsSummedAlongCallChains() {
        accepted(new Asm().stdw(R10, -256, 0).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R10, -256, 0).mov64(R0, 0).exit());
        refused(new Asm().stdw(R10, -512, 0).callLocal("f").mov64(R0, 2).exit()
                .label("f").stdw(R10, -8, 0).mov64(R0, 0).exit(), Errno.EACCES, "combined stack size of 2 calls is 528. Too large");
        // A function only a dead path calls is never walked, so its stack counts for nothing.
        accepted(new Asm().stdw(R10, -320, 0).mov64(R2, 0).mov64(R0, 2).jeq(R2, 0, "out").callLocal("f").label("out").exit()
                .label("f").stdw(R10, -256, 0).mov64(R0, 0).exit());
        Asm deep = new Asm().callLocal("f1").mov64(R0, 2).exit();
        for (int i = 1; i <= 8; i++) {
            deep.label("f" + i);
            if (i < 8) deep.callLocal("f" + (i + 1));
            deep.mov64(R0, 0).exit();
        }
        // E2BIG from PROG_LOAD without BTF is a plain error on Linux (not only the verifier
        // returns it), carrying the log's last line; the simulator reports it the same way.
        BpfException e = assertThrows(BpfException.class, () -> sim.progLoad(ProgramSpec.of(ProgramType.XDP, deep.toArray(), "GPL")));
        assertFalse(e instanceof VerifierException, e.getMessage());
        assertEquals(Errno.E2BIG, e.errno(), e.getMessage());
    }

    /** A program of main then {@code cb}, {@code r2} holding cb's address, loaded with func_info. */
    private void loop(Asm main, Asm cb, Errno errno, String message) {
        long[] m = main.toArray();
        long[] c = cb.toArray();
        long[] all = new long[m.length + c.length];
        System.arraycopy(m, 0, all, 0, m.length);
        System.arraycopy(c, 0, all, m.length, c.length);
        for (int i = 0; i < m.length; i++) {
            if ((all[i] & 0xff) == 0x18 && ((all[i] >> 12) & 0xf) == Opcodes.PSEUDO_FUNC) {
                all[i] = (all[i] & 0xffffffffL) | (long) (m.length - i - 1) << 32;
            }
        }
        BtfBuilder b = new BtfBuilder();
        int proto = b.addFuncProto(b.addInt("int", 4, BtfType.Int.SIGNED), List.of());
        List<BtfExt.FuncInfo> funcs = new ArrayList<>();
        funcs.add(new BtfExt.FuncInfo(0, b.addFunc("main", proto, BtfLinkage.STATIC)));
        funcs.add(new BtfExt.FuncInfo(m.length * 8, b.addFunc("cb", proto, BtfLinkage.STATIC)));
        try (BpfBtf btf = BpfBtf.load(sim, b.marshal())) {
            ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, all, "GPL").withBtf(btf.fd(), funcs, List.of()).withLog(1, 1 << 16);
            if (errno == null) {
                LoadResult r = sim.progLoad(spec);
                sim.closeFd(r.fd());
                assertFalse(r.log().contains("unverified"), r.log());
            } else {
                refused(spec, errno, message);
            }
        }
    }

    private static Asm callsLoop(int ctxOff) {
        Asm a = new Asm().stdw(R10, -8, 0).mov64(R1, 4).ldImm64(R2, Opcodes.PSEUDO_FUNC, 0, 0);
        if (ctxOff == 0) a.mov64(R3, 0);
        else a.mov64(R3, R10).add64(R3, ctxOff);
        return a.mov64(R4, 0).call(Helper.LOOP).mov64(R0, 2).exit();
    }

    @Test
    void callbacksAreCheckedAtLoadWithTheirArguments() {
        loop(callsLoop(-8), new Asm().stdw(R2, 0, 1).mov64(R0, 0).exit(), null, null);
        loop(callsLoop(-8), new Asm().stdw(R2, 8, 1).mov64(R0, 0).exit(), Errno.EACCES, "invalid write to stack R2 off=0 size=8");
        loop(callsLoop(0), new Asm().mov64(R0, R1).and64(R0, 1).exit(), null, null);
        loop(callsLoop(0), new Asm().mov64(R0, R1).and64(R0, 3).exit(), Errno.EINVAL,
                "At callback return the register R0 has smin=0 smax=3 should have been in [0, 1]");
        // The function's address copied through a register and the stack still names the callback.
        Asm viaStack = new Asm().ldImm64(R9, Opcodes.PSEUDO_FUNC, 0, 0).stxdw(R10, -16, R9).ldxdw(R8, R10, -16).mov64(R1, 4)
                .mov64(R2, R8).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).mov64(R0, 2).exit();
        loop(viaStack, new Asm().mov64(R0, 2).exit(), Errno.EINVAL,
                "At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]");
    }
}
