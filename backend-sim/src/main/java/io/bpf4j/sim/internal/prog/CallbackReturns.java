package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.asm.Opcodes.*;
import static io.bpf4j.sim.internal.prog.Insns.*;

import io.bpf4j.api.Errno;
import java.util.BitSet;

/**
 * What a callback returns, checked at load as far as it can be without tracking values: the
 * kernel's {@code prepare_func_exit()} requires R0 at a callback's exit to lie in the helper's
 * {@code callback_ret_range}, [0, 1] for {@code bpf_loop}, {@code bpf_for_each_map_elem} and
 * {@code bpf_user_ringbuf_drain} (the helpers with callbacks the simulator has). Seen here: an
 * exit that only a constant move into {@code r0} falls through to. Other out-of-range returns
 * stop the run when they happen.
 */
final class CallbackReturns {
    private CallbackReturns() {
    }

    private static final int MOV64_K = ALU64 | MOV | K;
    private static final int MOV32_K = ALU | MOV | K;

    static void check(long[] w) {
        int n = w.length;
        BitSet second = new BitSet();
        BitSet starts = new BitSet();
        BitSet callbacks = new BitSet();
        BitSet targets = new BitSet();
        starts.set(0);
        for (int i = 0; i < n; i++) {
            long x = w[i];
            if (isLdImm64(x)) {
                if (src(x) == PSEUDO_FUNC) {
                    callbacks.set(i + imm(x) + 1);
                    starts.set(i + imm(x) + 1);
                }
                second.set(i + 1);
                i++;
                continue;
            }
            if (isPseudoCall(x)) starts.set(i + imm(x) + 1);
            else if (isJmp(x) && op(x) != EXIT && op(x) != CALL) targets.set(target(i, x));
        }
        for (int s = callbacks.nextSetBit(0); s >= 0; s = callbacks.nextSetBit(s + 1)) {
            int end = starts.nextSetBit(s + 1);
            if (end < 0) end = n;
            for (int pc = s + 1; pc < end; pc++) {
                if (code(w[pc]) != EXIT_OP || targets.get(pc) || second.get(pc - 1) || dst(w[pc - 1]) != 0) continue;
                long v;
                if (code(w[pc - 1]) == MOV64_K) v = imm(w[pc - 1]);
                else if (code(w[pc - 1]) == MOV32_K) v = imm(w[pc - 1]) & 0xffffffffL;
                else continue;
                if (v != 0 && v != 1) {
                    throw new Checker.Reject(Errno.EINVAL, "At callback return the register R0 has smin=" + v + " smax=" + v
                            + " should have been in [0, 1]");
                }
            }
        }
    }
}
