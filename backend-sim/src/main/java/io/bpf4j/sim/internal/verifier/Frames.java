package io.bpf4j.sim.internal.verifier;

import io.bpf4j.api.Errno;

/**
 * Calls into static subprograms and callbacks, checked in the caller's context as the kernel's
 * {@code check_func_call()}, {@code push_callback_call()} and {@code prepare_func_exit()} do: a
 * call saves the caller's frame and starts the callee's with the caller's argument registers, a
 * stack of its own and {@code r10} pointing at it; stack pointers name their frame, so a callee
 * reads and writes its caller's stack through them; references belong to the whole state, so
 * they are taken and released across calls; the exit restores the caller with {@code r0} set and
 * {@code r1}-{@code r5} scratch.
 */
final class Frames {
    /** {@code MAX_CALL_FRAMES}. */
    static final int MAX = 8;

    private Frames() {
    }

    /** A caller's frame while a callee runs ({@code struct bpf_func_state}). */
    static final class Frame {
        final Reg[] regs;
        final Reg[] stack;
        final byte[] bytes;
        /** The call instruction, where the callee returns to (plus one). */
        final int callsite;
        /** The caller's function (its first instruction). */
        final int func;
        /** For a callback: the helper that calls it; 0 for a bpf-to-bpf call. */
        final int helper;
        /** For a callback: the helper's result, the caller's {@code r0} once the callback returns. */
        final Reg result;

        Frame(Reg[] regs, Reg[] stack, byte[] bytes, int callsite, int func, int helper, Reg result) {
            this.regs = regs;
            this.stack = stack;
            this.bytes = bytes;
            this.callsite = callsite;
            this.func = func;
            this.helper = helper;
            this.result = result;
        }

        Frame copy() {
            Reg[] r = new Reg[regs.length];
            for (int i = 0; i < r.length; i++) r[i] = regs[i].copy();
            Reg[] st = new Reg[stack.length];
            for (int i = 0; i < st.length; i++) st[i] = stack[i] == null ? null : stack[i].copy();
            return new Frame(r, st, bytes.clone(), callsite, func, helper, result);
        }

        boolean same(Frame f) {
            if (callsite != f.callsite || helper != f.helper) return false;
            for (int i = 0; i < regs.length; i++) if (!regs[i].same(f.regs[i])) return false;
            return VState.stackSame(stack, bytes, f.stack, f.bytes);
        }

        boolean covers(Frame f) {
            if (callsite != f.callsite || helper != f.helper) return false;
            for (int i = 0; i < regs.length; i++) if (!regs[i].covers(f.regs[i])) return false;
            return VState.stackCovers(stack, bytes, f.stack, f.bytes);
        }
    }

    /** A bpf-to-bpf call of the static function at {@code target}: {@code s} continues in the callee. */
    static void call(Verifier v, VState s, int target) {
        Reg[] args = new Reg[6];
        for (int r = 1; r <= 5; r++) args[r] = s.regs[r];
        Verifier.clobberCall(s);
        s.regs[0] = Reg.notInit();
        push(v, s, target, 0, null, args);
    }

    /**
     * A helper's callback, on a copy of the state after the helper call ({@code s}, with the
     * helper's result in {@code r0}): the callback runs in a new frame with {@code args} and
     * returns to the instruction after the call. The caller goes on without it in {@code s} (the
     * callback may run no time at all).
     *
     * @return the state at the callback's first instruction
     */
    static VState callback(Verifier v, VState s, int target, int helper, Reg[] args) {
        VState c = s.copy();
        push(v, c, target, helper, s.regs[0].copy(), args);
        return c;
    }

    private static void push(Verifier v, VState s, int target, int helper, Reg result, Reg[] args) {
        int depth = s.depth();
        if (depth + 1 >= MAX) {
            Verifier.reject(Errno.E2BIG, "the call stack of " + (depth + 2) + " frames is too deep");
        }
        Reg[] saved = new Reg[s.regs.length];
        for (int i = 0; i < saved.length; i++) saved[i] = i <= 5 ? Reg.notInit() : s.regs[i];
        Frame f = new Frame(saved, s.stack.clone(), s.bytes.clone(), s.pc, s.func, helper, result);
        Frame[] callers = new Frame[depth + 1];
        if (depth > 0) System.arraycopy(s.callers, 0, callers, 0, depth);
        callers[depth] = f;
        s.callers = callers;
        for (int i = 0; i < s.regs.length; i++) s.regs[i] = i >= 1 && i <= 5 ? args[i] : Reg.notInit();
        java.util.Arrays.fill(s.stack, null);
        java.util.Arrays.fill(s.bytes, (byte) 0);
        Reg fp = Reg.ptr(Reg.STACK);
        fp.frame = depth + 1;
        s.regs[10] = fp;
        s.func = target;
        s.pc = target;
        v.entered(target);
    }

    /** The exit of a callee: checks what it returns and goes back to its caller. */
    static void exit(Verifier v, VState s) {
        Frame f = s.callers[s.callers.length - 1];
        Reg r0 = s.regs[0];
        if (r0.type == Reg.STACK) Verifier.reject(Errno.EINVAL, "cannot return stack pointer to the caller");
        if (f.helper != 0) {
            // prepare_func_exit(): a callback's r0 must be a scalar in the helper's callback_ret_range.
            r0 = Verifier.read(s, 0);
            if (r0.type != Reg.ANY) {
                if (r0.type != Reg.SCALAR) Verifier.reject(Errno.EACCES, "R0 not a scalar value");
                if (r0.smin < 0 || r0.smax > 1) {
                    Verifier.reject(Errno.EINVAL, "At callback return the register R0 has" + bounds(r0) + " should have been in [0, 1]",
                            r0.exact);
                }
            }
            r0 = f.result.copy();
        }
        System.arraycopy(f.regs, 0, s.regs, 0, s.regs.length);
        System.arraycopy(f.stack, 0, s.stack, 0, s.stack.length);
        System.arraycopy(f.bytes, 0, s.bytes, 0, s.bytes.length);
        s.regs[0] = r0;
        s.func = f.func;
        s.pc = f.callsite + 1;
        s.callers = s.callers.length == 1 ? null : java.util.Arrays.copyOf(s.callers, s.callers.length - 1);
    }

    /** {@code verbose_invalid_scalar()}'s bounds. */
    private static String bounds(Reg r) {
        String b = "";
        if (r.smin > Long.MIN_VALUE) b += " smin=" + r.smin;
        if (r.smax < Long.MAX_VALUE) b += " smax=" + r.smax;
        return b.isEmpty() ? " unknown scalar value" : b;
    }
}
