package io.bpf4j.sim.internal.vm;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R8;
import static io.bpf4j.api.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Callbacks in the interpreter: the frame a helper calls a subprogram in (caller's registers and
 * stack kept, depth limited with the caller's frames), the shared instruction budget, the
 * kernel's [0, 1] rule for what a callback returns, and subprogram addresses that cannot be
 * dereferenced. What the helpers return is compared with the kernel in the it module.
 */
class CallbackTest {
    /** Main: {@code r9 = &cb} at 0-1, then {@code body}; the callback at {@code cbAt} follows. */
    private static long[] program(Asm body, Asm cb) {
        long[] b = body.toArray();
        long[] c = cb.toArray();
        long[] all = new long[2 + b.length + c.length];
        all[0] = new Asm().ldImm64(R9, Opcodes.PSEUDO_FUNC, b.length + 1, 0).toArray()[0];
        System.arraycopy(b, 0, all, 2, b.length);
        System.arraycopy(c, 0, all, 2 + b.length, c.length);
        return all;
    }

    private static VmProgram load(long[] insns) {
        return new VmLoader().load(insns);
    }

    @Test
    void theCallersRegistersAndStackSurviveTheCallback() {
        // Main keeps values in r6-r8 and its stack; the callback clobbers r6-r9 and its own stack
        // and adds i to *ctx. Result: 100 + 0+1+2 + r6 + r7 + r8 + the stack word.
        Asm body = new Asm().mov64(R6, 1000).mov64(R7, 20000).mov64(R8, 300000).stdw(R10, -16, 4000000)
                .stdw(R10, -8, 100).mov64(R1, 3).mov64(R2, R9).mov64(R3, R10).add64(R3, -8).mov64(R4, 0)
                .call(Helper.LOOP).ldxdw(R0, R10, -8).add64(R0, R6).add64(R0, R7).add64(R0, R8)
                .ldxdw(R1, R10, -16).add64(R0, R1).exit();
        Asm cb = new Asm().mov64(R6, -1).mov64(R7, -1).mov64(R8, -1).mov64(R9, -1).stdw(R10, -16, -1)
                .ldxdw(R3, R2, 0).add64(R3, R1).stxdw(R2, 0, R3).mov64(R0, 0).exit();
        assertEquals(100 + 3 + 1000 + 20000 + 300000 + 4000000, new Vm().run(load(program(body, cb)), 0));
    }

    @Test
    void aCallbacksStackStartsZeroed() {
        // The callback reads its stack before writing it; a non-zero word would stop the loop.
        Asm body = new Asm().mov64(R1, 4).mov64(R2, R9).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).exit();
        Asm cb = new Asm().ldxdw(R0, R10, -8).stdw(R10, -8, 1).exit();
        assertEquals(4, new Vm().run(load(program(body, cb)), 0));
    }

    /** A chain: main calls bpf_loop(1, cb1), cb_i calls bpf_loop(1, cb_{i+1}), the last returns 0. */
    private static long[] chain(int callbacks) {
        Asm a = new Asm();
        // Each function: load the next function's address, call bpf_loop(1, it), return 0.
        int fnLen = 8;
        for (int f = 0; f <= callbacks; f++) {
            if (f == callbacks) {
                a.mov64(R0, 0).exit().mov64(R0, 0).exit().mov64(R0, 0).exit().mov64(R0, 0).exit();
                continue;
            }
            a.ldImm64(R2, Opcodes.PSEUDO_FUNC, fnLen - 1, 0).mov64(R1, 1).mov64(R3, 0).mov64(R4, 0)
                    .call(Helper.LOOP).mov64(R0, 0).exit();
        }
        return a.toArray();
    }

    @Test
    void callbacksCountAgainstTheEightFrames() {
        assertEquals(0, new Vm().run(load(chain(7)), 0), "frames 0 to 7");
        VmException e = assertThrows(VmException.class, () -> new Vm().run(load(chain(8)), 0));
        assertTrue(e.getMessage().contains("too deep"), e.getMessage());
    }

    @Test
    void aCallbackReturningOtherThanZeroOrOneStopsTheRun() {
        Asm body = new Asm().mov64(R1, 2).mov64(R2, R9).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).exit();
        VmException e = assertThrows(VmException.class,
                () -> new Vm().run(load(program(body, new Asm().mov64(R0, 2).exit())), 0));
        assertTrue(e.getMessage().contains("not in [0, 1]"), e.getMessage());
    }

    @Test
    void callbackInstructionsCountAndShareTheBudget() {
        Asm body = new Asm().mov64(R1, 10).mov64(R2, R9).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).exit();
        VmProgram p = load(program(body, new Asm().mov64(R0, 0).exit()));
        Vm vm = new Vm();
        assertEquals(10, vm.run(p, 0));
        assertEquals(7 + 10 * 2, vm.instructionCount(), "ld_imm64, five instructions, exit, and two per callback");
        VmException e = assertThrows(VmException.class, () -> new Vm().instructionBudget(20).run(p, 0));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }

    @Test
    void aSubprogramAddressIsNoMemoryAndNoOtherValueIsACallback() {
        Asm body = new Asm().ldxdw(R0, R9, 0).exit();
        VmException e = assertThrows(VmException.class,
                () -> new Vm().run(load(program(body, new Asm().mov64(R0, 0).exit())), 0));
        assertTrue(e.getMessage().contains("invalid read"), e.getMessage());
        Asm notFn = new Asm().mov64(R1, 1).mov64(R2, R9).add64(R2, 1).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).exit();
        e = assertThrows(VmException.class, () -> new Vm().run(load(program(notFn, new Asm().mov64(R0, 0).exit())), 0));
        assertTrue(e.getMessage().contains("expected a subprogram address"), e.getMessage());
    }

    @Test
    void aFunctionAddressOutsideTheProgramIsRefusedAtLoad() {
        long[] insns = new Asm().ldImm64(R9, Opcodes.PSEUDO_FUNC, 10, 0).mov64(R0, 0).exit().toArray();
        VmLoadException e = assertThrows(VmLoadException.class, () -> load(insns));
        assertTrue(e.getMessage().contains("call to invalid destination"), e.getMessage());
    }

    @Test
    void helpersCalledInALoopReuseTheirMemoryRegions() {
        // 70000 map walks from a bpf_loop callback: more walks than a run has memory regions
        // (65535), so each walk must take over the regions of the one before.
        TestMaps.Array array = new TestMaps.Array(8, 1, false);
        long[] main = new Asm().ldImm64(R9, Opcodes.PSEUDO_FUNC, 7, 0)
                .mov64(R1, 70000).mov64(R2, R9).mov64(R3, 0).mov64(R4, 0).call(Helper.LOOP).exit().toArray();
        long[] loopCb = new Asm().ldMapFd(R1, 100).ldImm64(R2, Opcodes.PSEUDO_FUNC, 6, 0).mov64(R3, 0).mov64(R4, 0)
                .call(Helper.FOR_EACH_MAP_ELEM).mov64(R0, 0).exit().toArray();
        long[] walkCb = new Asm().ldxdw(R1, R3, 0).add64(R1, 1).stxdw(R3, 0, R1).mov64(R0, 0).exit().toArray();
        long[] all = new long[main.length + loopCb.length + walkCb.length];
        System.arraycopy(main, 0, all, 0, main.length);
        System.arraycopy(loopCb, 0, all, main.length, loopCb.length);
        System.arraycopy(walkCb, 0, all, main.length + loopCb.length, walkCb.length);
        assertEquals(8, main.length, "the first callback starts at 8");
        assertEquals(9, loopCb.length, "the walk callback starts 9 after it");
        VmProgram p = new VmLoader().maps(TestMaps.fds(array)).load(all);
        assertEquals(70000, new Vm().run(p, 0));
        assertEquals(70000, array.values[0][0] & 0xff | (array.values[0][1] & 0xff) << 8 | (array.values[0][2] & 0xff) << 16,
                "every walk saw the element");
    }
}
