package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramType;
import io.bpf4j.sim.internal.prog.Insns;
import java.util.BitSet;

/**
 * The stack across calls ({@code check_max_stack_depth()}): each function's depth is the deepest
 * stack byte any walked access reached in its frame, rounded as the x86-64 JIT does (16 bytes);
 * along every chain of calls in the code (bpf-to-bpf calls and callbacks taken with
 * {@code ld_imm64}, dead or not), the sum must stay within 512 bytes and the chain within eight
 * frames, and a function with a tail call may not be reached with 256 bytes or more below it.
 * Program types the kernel gives a private stack (kprobes, tracepoints, perf events, raw
 * tracepoints) leave functions of 64 bytes or more out of the sum.
 */
final class StackDepth {
    private static final int PRIV_STACK_MIN = 64;

    private final long[] w;
    private final int[] starts;
    /** Per function (index into {@link #starts}): depth on paths the kernel also walks, and on all walked paths. */
    private final int[] exact;
    private final int[] all;

    StackDepth(long[] w, BitSet startSet) {
        this.w = w;
        this.starts = startSet.stream().toArray();
        this.exact = new int[starts.length];
        this.all = new int[starts.length];
    }

    private int index(int start) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= start) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    void used(int func, long off, boolean speculative) {
        int i = index(func);
        // grow_stack_state(): the frame grows in 8-byte slots.
        int d = (int) ((-off + 7) & ~7L);
        if (d > all[i]) all[i] = d;
        if (!speculative && d > exact[i]) exact[i] = d;
    }

    /** The main function's depth over every walked access, speculative or not. */
    int main() {
        return all[0];
    }

    void check(Verifier v) {
        boolean priv = v.type == ProgramType.KPROBE || v.type == ProgramType.TRACEPOINT || v.type == ProgramType.PERF_EVENT
                || v.type == ProgramType.RAW_TRACEPOINT;
        walk(0, 0, 1, exact, priv);
        try {
            walk(0, 0, 1, all, priv);
        } catch (Verifier.Reject r) {
            v.note(r.getMessage() + " (on a path the kernel may prove dead)");
        }
    }

    /** One function in a chain of {@code calls} functions, {@code below} bytes under it. */
    private void walk(int fn, int below, int calls, int[] depth, boolean priv) {
        if (fn > 0 && hasTailCall(fn) && below >= 256) {
            Verifier.reject(Errno.EACCES, "tail_calls are not allowed when call stack of previous frames is " + below + " bytes. Too large");
        }
        int d = (depth[fn] + 15) & ~15;
        int sum = below;
        if (!priv || d < PRIV_STACK_MIN) {
            sum += d;
            if (sum > Mem.MAX_STACK) {
                Verifier.reject(Errno.EACCES, "combined stack size of " + calls + " calls is " + sum + ". Too large");
            }
        }
        int end = fn + 1 < starts.length ? starts[fn + 1] : w.length;
        for (int i = starts[fn]; i < end; i++) {
            long x = w[i];
            boolean call = Insns.isPseudoCall(x);
            boolean func = Insns.isLdImm64(x) && Insns.src(x) == PSEUDO_FUNC;
            if (call || func) {
                if (calls >= Frames.MAX) Verifier.reject(Errno.E2BIG, "the call stack of " + calls + " frames is too deep !");
                walk(index(i + Insns.imm(x) + 1), sum, calls + 1, depth, priv);
            }
            if (Insns.isLdImm64(x)) i++;
        }
    }

    private boolean hasTailCall(int fn) {
        int end = fn + 1 < starts.length ? starts[fn + 1] : w.length;
        for (int i = starts[fn]; i < end; i++) {
            long x = w[i];
            if (Insns.cls(x) == JMP && Insns.op(x) == CALL && Insns.src(x) == 0 && Insns.imm(x) == 12) return true;
            if (Insns.isLdImm64(x)) i++;
        }
        return false;
    }
}
