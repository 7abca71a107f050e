package io.bpf4j.sim.internal.vm;

import java.util.Arrays;

/**
 * The frames helpers call callbacks in, and the memory those helpers lend to callbacks: the
 * subprogram addresses of {@code ld_imm64} with {@code BPF_PSEUDO_FUNC} (offsets into one
 * zero-length region, which programs cannot dereference), and scratch regions re-pointed at each
 * element a callback is shown.
 */
final class CallFrames {
    static final int SCRATCH_KEY = 0;
    static final int SCRATCH_VALUE = 1;
    static final int SCRATCH_DYNPTR = 2;
    static final int SCRATCH_DYNPTR_DATA = 3;
    private static final int SCRATCH_KINDS = 4;

    private final Vm vm;
    /** The region subprogram addresses point into (offset = instruction), or 0. */
    private int funcRegion;
    /** Scratch regions per frame and use, so that helpers called in a loop reuse theirs. */
    private final int[] scratch = new int[Memory.MAX_FRAMES * SCRATCH_KINDS];
    /** Whether a run has made a scratch region since the last reset. */
    private boolean scratchUsed;

    CallFrames(Vm vm) {
        this.vm = vm;
    }

    private int region(String what) {
        try {
            return vm.mem.add(null, 0, 0, false, what);
        } catch (Memory.Fault f) {
            throw new VmException(-1, f.getMessage());
        }
    }

    /** The address of the subprogram at {@code pc}, valid in this run. */
    long address(int pc) {
        if (funcRegion == 0) {
            funcRegion = region("subprogram address, which programs cannot dereference");
        }
        return vm.mem.ptr(funcRegion, pc);
    }

    void check(long fn, String helper) {
        int id = vm.mem.idOf(fn);
        VmProgram p = vm.current();
        if (id == 0 || id != funcRegion || p == null || !p.isCallbackTarget((int) fn)) {
            throw new VmException(-1, helper + ": expected a subprogram address (ld_imm64 of BPF_PSEUDO_FUNC), got "
                    + Memory.hex(fn));
        }
    }

    /**
     * Calls a callback as the kernel's helper calls it: in a new frame above the helper's caller,
     * with a zeroed stack, the arguments in {@code r1}..{@code r5} and the caller's
     * {@code r6}..{@code r10} restored after it, within the run's instruction budget and its
     * eight frames.
     */
    long call(long fn, long a1, long a2, long a3, long a4, long a5) {
        check(fn, "callback");
        VmProgram p = vm.current();
        int caller = vm.depth;
        int frame = caller + 1;
        if (frame >= Memory.MAX_FRAMES) {
            throw new VmException(-1, "the call stack of " + (frame + 1) + " frames is too deep");
        }
        long[] r = vm.regs;
        long s6 = r[6];
        long s7 = r[7];
        long s8 = r[8];
        long s9 = r[9];
        long s10 = r[10];
        r[1] = a1;
        r[2] = a2;
        r[3] = a3;
        r[4] = a4;
        r[5] = a5;
        r[10] = vm.mem.framePointer(frame);
        Arrays.fill(vm.mem.stack, frame * Memory.FRAME_SIZE, (frame + 1) * Memory.FRAME_SIZE, (byte) 0);
        try {
            return Interpreter.exec(vm, p, (int) fn, frame);
        } finally {
            r[6] = s6;
            r[7] = s7;
            r[8] = s8;
            r[9] = s9;
            r[10] = s10;
            vm.depth = caller;
        }
    }

    /**
     * Checks a callback's result as the kernel's verifier does at the callback's exit (its
     * {@code callback_ret_range} of [0, 1] for the helpers that take callbacks): a program that
     * can return anything else does not load on the kernel, so its run stops here.
     *
     * @return whether the callback asked to stop (1)
     */
    static boolean stopRequested(long r0, String helper) {
        if (r0 != 0 && r0 != 1) {
            throw new VmException(-1, helper + ": callback returned " + r0
                    + " (the kernel's verifier refuses callbacks whose R0 is not in [0, 1])");
        }
        return r0 == 1;
    }

    /**
     * A region that the running helper points at one thing after another (the element a callback
     * sees). One per use and frame: a helper's callbacks run in the frames above it, so a helper
     * called from the same frame later can take the region over.
     */
    int scratchRegion(int kind, String what) {
        int i = vm.depth * SCRATCH_KINDS + kind;
        if (scratch[i] == 0) {
            scratch[i] = region(what);
            scratchUsed = true;
        }
        return scratch[i];
    }

    /** Points a scratch region at {@code a[from, from + length)}; returns the pointer to its start. */
    long retarget(int id, byte[] a, int from, int length, boolean writable) {
        vm.mem.retarget(id, a, from, length, writable);
        return vm.mem.ptr(id, 0);
    }

    void reset() {
        funcRegion = 0;
        if (scratchUsed) {
            Arrays.fill(scratch, 0);
            scratchUsed = false;
        }
    }
}
