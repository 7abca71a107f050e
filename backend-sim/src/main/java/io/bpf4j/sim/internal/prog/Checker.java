package io.bpf4j.sim.internal.prog;

import static io.bpf4j.api.asm.Opcodes.*;
import static io.bpf4j.sim.internal.prog.Insns.*;

import io.bpf4j.api.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The structural half of the kernel's verifier ({@code kernel/bpf/verifier.c}), in its phases and
 * with its messages and errnos: subprogram boundaries and jump ranges
 * ({@code check_subprogs}), {@code ld_imm64} and opcode sanity with map resolution
 * ({@code resolve_pseudo_ldimm64}), the control-flow graph ({@code check_cfg}: unreachable
 * instructions, jumps into an {@code ld_imm64}), then per-instruction reserved fields, register
 * numbers, writes to {@code r10}, division by an immediate zero, shift ranges and reads of
 * uninitialised registers ({@code do_check}).
 *
 * <p>It does not track pointer types, bounds or helper argument types, so it accepts programs the
 * kernel refuses for memory-safety reasons; the interpreter stops those at run time.
 */
public final class Checker {
    /** A refusal: the errno and the verifier's message. */
    public static final class Reject extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Errno errno;

        Reject(Errno errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }

        /**
         * The errno the kernel returns.
         *
         * @return the errno
         */
        public Errno errno() {
            return errno;
        }
    }

    /** Resolves a map descriptor of an {@code ld_imm64}; throws KErr EBADF/EINVAL when it is not a map. */
    public interface MapLookup {
        /**
         * The map behind a descriptor.
         *
         * @param fd the descriptor
         * @return an opaque map object
         */
        Object map(int fd);
    }

    private final long[] w;
    private final int n;
    private final MapLookup maps;
    private final int[] fdArray;
    private final List<Object> usedMaps = new ArrayList<>();
    private final BitSet second = new BitSet();
    private final BitSet subprogStart = new BitSet();
    private int processed;
    private boolean gpl = true;
    /** Reads of uninitialised registers are left to a path-sensitive pass. */
    private boolean pathReads;
    /**
     * Helpers with {@code gpl_only = true} that Linux 6.18 refuses to non-GPL programs (checked on
     * it: probe_read, trace_printk, perf_event_output, get_current_task, probe_read_str and the
     * probe_read_user/kernel family).
     */
    private static final java.util.Set<Integer> GPL_ONLY = java.util.Set.of(4, 6, 25, 35, 45, 112, 113, 114, 115);

    /**
     * Whether the program's license is GPL-compatible; non-GPL programs cannot call GPL-only helpers.
     *
     * @param gplCompatible the license's compatibility
     * @return this checker
     */
    public Checker gpl(boolean gplCompatible) {
        this.gpl = gplCompatible;
        return this;
    }

    /**
     * Leaves reads of uninitialised registers to a later pass that follows each path, as the
     * kernel does: merged over all paths, a register read only where the kernel proves the path
     * dead would be refused.
     *
     * @return this checker
     */
    public Checker pathSensitiveReads() {
        this.pathReads = true;
        return this;
    }

    /**
     * Prepares a check.
     *
     * @param insns the instructions
     * @param maps resolves map descriptors
     * @param fdArray the load's fd array, or null
     */
    public Checker(long[] insns, MapLookup maps, int[] fdArray) {
        this.w = insns;
        this.n = insns.length;
        this.maps = maps;
        this.fdArray = fdArray;
    }

    private static Reject reject(String msg) {
        return new Reject(Errno.EINVAL, msg);
    }

    /**
     * Runs every phase.
     *
     * @return the maps the program uses, each once, in order of first use
     * @throws Reject when the kernel would refuse the program
     */
    public List<Object> check() {
        addSubprogs();
        checkSubprogs();
        resolveLdImm64();
        checkCfg();
        doCheck();
        // With a path-sensitive pass after this one, that pass counts the instructions it walks.
        if (!pathReads) processed = explored();
        return usedMaps;
    }

    /**
     * Instructions the checker walked, reported as the program's verified instruction count.
     *
     * @return the count
     */
    public int processed() {
        return processed;
    }

    /** {@code add_subprog_and_kfunc()}: every bpf-to-bpf call and function pointer starts a subprogram. */
    private void addSubprogs() {
        subprogStart.set(0);
        for (int i = 0; i < n; i++) {
            long x = w[i];
            boolean func = isLdImm64(x) && src(x) == PSEUDO_FUNC;
            if (isPseudoCall(x) || func) {
                long t = (long) i + imm(x) + 1;
                if (t < 0 || t >= n) throw reject("call to invalid destination");
                subprogStart.set((int) t);
            }
            if (code(x) == CALL_OP && src(x) == PSEUDO_KFUNC_CALL) {
                throw new Reject(Errno.EINVAL, "calling kernel functions is not supported (kfuncs are not simulated)");
            }
            if (isLdImm64(x)) i++;
        }
    }

    /** {@code check_subprogs()}: jumps stay in their subprogram, which ends with exit or a jump. */
    private void checkSubprogs() {
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = subprogStart.nextSetBit(i + 1);
            if (end < 0) end = n;
            if (subprogStart.get(i)) start = i;
            long x = w[i];
            if (isJmp(x) && op(x) != EXIT && op(x) != CALL) {
                int t = target(i, x);
                if (t < start || t >= end) throw reject("jump out of range from insn " + i + " to " + t);
            }
            if (i == end - 1) {
                int c = code(x);
                if (c != EXIT_OP && c != (JMP32 | JA) && c != (JMP | JA)) throw reject("last insn is not an exit or jmp");
            }
        }
    }

    /** {@code resolve_pseudo_ldimm64()}: LDX fields, ld_imm64 shape and maps, known opcodes. */
    private void resolveLdImm64() {
        for (int i = 0; i < n; i++) {
            long x = w[i];
            if (cls(x) == LDX && ((mode(x) != MEM && mode(x) != MEMSX) || imm(x) != 0)) {
                throw reject("BPF_LDX uses reserved fields");
            }
            if (isLdImm64(x)) {
                if (i == n - 1 || code(w[i + 1]) != 0 || dst(w[i + 1]) != 0 || src(w[i + 1]) != 0 || off(w[i + 1]) != 0) {
                    throw reject("invalid bpf_ld_imm64 insn");
                }
                int s = src(x);
                second.set(i + 1);
                if (s != 0 && s != PSEUDO_FUNC) resolveMap(i, x, imm(w[i + 1]));
                i++;
                continue;
            }
            if (!known(code(x))) throw reject(String.format("unknown opcode %02x", code(x)));
        }
    }

    private void resolveMap(int i, long x, int nextImm) {
        int s = src(x);
        if (s == PSEUDO_BTF_ID) throw reject("ldimm64 of kernel BTF ids is not supported (kernel BTF is not simulated)");
        boolean value = s == PSEUDO_MAP_VALUE || s == PSEUDO_MAP_IDX_VALUE;
        if (!value && !((s == PSEUDO_MAP_FD || s == PSEUDO_MAP_IDX) && nextImm == 0)) {
            throw reject("unrecognized bpf_ld_imm64 insn");
        }
        int fd;
        if (s == PSEUDO_MAP_IDX || s == PSEUDO_MAP_IDX_VALUE) {
            if (fdArray == null) throw new Reject(Errno.EPROTO, "fd_idx without fd_array is invalid");
            if (imm(x) < 0 || imm(x) >= fdArray.length) throw new Reject(Errno.EFAULT, "fd_array index " + imm(x) + " out of range");
            fd = fdArray[imm(x)];
        } else {
            fd = imm(x);
        }
        Object m;
        try {
            m = maps.map(fd);
        } catch (io.bpf4j.sim.internal.kernel.KErr e) {
            throw new Reject(e.errno(), "fd " + fd + " is not pointing to valid bpf_map");
        }
        if (!usedMaps.contains(m)) usedMaps.add(m);
    }

    /**
     * {@code check_cfg()}: depth-first from insn 0 through branches and calls; then, in index
     * order, the first instruction never reached, or a reached second half of an {@code ld_imm64}.
     */
    private void checkCfg() {
        BitSet seen = new BitSet(n);
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        seen.set(0);
        while (!stack.isEmpty()) {
            int t = stack.pop();
            for (int s : successors(t, w[t])) {
                if (s < 0 || s >= n) throw reject("jump out of range from insn " + t + " to " + s);
                if (!seen.get(s)) {
                    seen.set(s);
                    stack.push(s);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!seen.get(i)) throw reject("unreachable insn " + i);
            if (isLdImm64(w[i]) && !second.get(i)) {
                if (seen.get(i + 1)) throw reject("jump into the middle of ldimm64 insn " + i);
                i++;
            }
        }
    }

    private int[] successors(int t, long x) {
        if (second.get(t)) return new int[] {t + 1};
        // A function's address (a callback) makes its function reachable, as the kernel's check_cfg() has it.
        if (isLdImm64(x)) return src(x) == PSEUDO_FUNC ? new int[] {t + 2, t + imm(x) + 1} : new int[] {t + 2};
        if (!isJmp(x)) return new int[] {t + 1};
        int o = op(x);
        if (o == EXIT) return new int[0];
        if (o == CALL) return isPseudoCall(x) ? new int[] {t + 1, t + imm(x) + 1} : new int[] {t + 1};
        if (o == JA) return new int[] {target(t, x)};
        return new int[] {t + 1, target(t, x)};
    }

    /** {@code do_check()}: fields and registers of every reachable instruction. */
    private void doCheck() {
        int[] in = new int[n];
        Arrays.fill(in, -1);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        // Entry to the main program: r1 (the context) and r10; subprograms get their arguments.
        in[0] = (1 << 1) | (1 << 10);
        for (int s = subprogStart.nextSetBit(1); s >= 0; s = subprogStart.nextSetBit(s + 1)) in[s] = 0b111110 | (1 << 10);
        work.add(0);
        for (int s = subprogStart.nextSetBit(1); s >= 0; s = subprogStart.nextSetBit(s + 1)) work.add(s);
        boolean[] queued = new boolean[n];
        boolean[] visited = new boolean[n];
        for (int t : work) {
            queued[t] = true;
            visited[t] = true;
        }
        while (!work.isEmpty()) {
            int t = work.poll();
            queued[t] = false;
            long x = w[t];
            int out = transfer(x, in[t]);
            for (int s : successors(t, x)) {
                // The callee of a bpf-to-bpf call starts with its own arguments, not the caller's state.
                if (isPseudoCall(x) && s != t + 1 || isLdImm64(x) && s != t + 2) continue;
                int merged = in[s] & out;
                if (visited[s] && merged == in[s]) continue;
                visited[s] = true;
                in[s] = merged;
                if (!queued[s]) {
                    queued[s] = true;
                    work.add(s);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (second.get(i)) continue;
            processed++;
            checkInsn(i, w[i], in[i]);
            if (isLdImm64(w[i])) i++;
        }
    }

    /**
     * The verifier's "processed N insns" for loop-free programs without calls: every path walked
     * to its exit, as the verifier does when no two paths meet in the same state. It is an upper
     * bound of the kernel's count, which prunes equal states; programs with loops or calls, or more
     * than a million steps, report their instruction count.
     */
    private int explored() {
        int logical = processed;
        for (int i = 0; i < n; i++) {
            long x = w[i];
            if (second.get(i)) continue;
            if (isPseudoCall(x)) return logical;
            if (isJmp(x) && op(x) != CALL && op(x) != EXIT && target(i, x) <= i) return logical;
        }
        long steps = 0;
        ArrayDeque<Integer> stack = new ArrayDeque<>();
        stack.push(0);
        while (!stack.isEmpty()) {
            int t = stack.pop();
            while (true) {
                if (++steps > 1_000_000) return logical;
                long x = w[t];
                int[] succ = successors(t, x);
                if (succ.length == 0) break;
                for (int k = 1; k < succ.length; k++) stack.push(succ[k]);
                t = succ[0];
            }
        }
        return (int) steps;
    }

    /** Registers initialised after an instruction, given those before. */
    private static int transfer(long x, int regs) {
        int c = cls(x);
        int d = dst(x) & 0xf;
        switch (c) {
            case ALU: case ALU64: case LDX:
                return regs | (1 << d);
            case LD:
                if (isLdImm64(x)) return regs | (1 << d);
                return (regs & ~0b111110) | 1; // LD_ABS/IND: r0 set, r1-r5 clobbered
            case STX:
                if (mode(x) == ATOMIC && (imm(x) & FETCH) != 0) {
                    return imm(x) == CMPXCHG ? regs | 1 : regs | (1 << src(x));
                }
                return regs;
            case JMP: case JMP32:
                if (op(x) == CALL) return (regs & ~0b111110) | 1;
                return regs;
            default:
                return regs;
        }
    }

    private void regOk(int r) {
        if (r > 10) throw reject("R" + r + " is invalid");
    }

    private void read(int r, int regs) {
        regOk(r);
        if (!pathReads && (regs & (1 << r)) == 0) throw new Reject(Errno.EACCES, "R" + r + " !read_ok");
    }

    private void write(int r) {
        regOk(r);
        if (r == 10) throw new Reject(Errno.EACCES, "frame pointer is read only");
    }

    private void checkInsn(int i, long x, int regs) {
        int c = cls(x);
        int o = op(x);
        int d = dst(x);
        int s = src(x);
        int off = off(x);
        int imm = imm(x);
        try {
            switch (c) {
                case ALU: case ALU64: checkAlu(x, c, o, d, s, off, imm, regs); break;
                case LDX:
                    read(s, regs);
                    write(d);
                    break;
                case STX:
                    if (mode(x) == ATOMIC) {
                        checkAtomic(x, d, s, imm, regs);
                        break;
                    }
                    if (mode(x) != MEM || imm != 0) throw reject("BPF_STX uses reserved fields");
                    read(s, regs);
                    read(d, regs);
                    break;
                case ST:
                    if (mode(x) != MEM || s != 0) throw reject("BPF_ST uses reserved fields");
                    read(d, regs);
                    break;
                case LD:
                    checkLd(x, d, s, off, imm, regs);
                    break;
                default:
                    checkJmp(x, c, o, d, s, off, imm, regs);
            }
        } catch (Reject r) {
            throw new Reject(r.errno, String.format("%d: (%02x)%n%s", i, code(x), r.getMessage()));
        }
    }

    private void checkAlu(long x, int c, int o, int d, int s, int off, int imm, int regs) {
        if (o == END || o == NEG) {
            if (o == NEG) {
                if (srcX(x) || s != 0 || off != 0 || imm != 0) throw reject("BPF_NEG uses reserved fields");
            } else if (s != 0 || off != 0 || (imm != 16 && imm != 32 && imm != 64) || (c == ALU64 && srcX(x))) {
                throw reject("BPF_END uses reserved fields");
            }
            read(d, regs);
            write(d);
            return;
        }
        if (o == MOV) {
            if (srcX(x)) {
                boolean okOff = c == ALU ? (off == 0 || off == 8 || off == 16) : (off == 0 || off == 8 || off == 16 || off == 32);
                if (!okOff || imm != 0) throw reject("BPF_MOV uses reserved fields");
                read(s, regs);
            } else if (s != 0 || off != 0) {
                throw reject("BPF_MOV uses reserved fields");
            }
            write(d);
            return;
        }
        if (srcX(x)) {
            if (imm != 0 || (off != 0 && off != 1) || (off == 1 && o != MOD && o != DIV)) throw reject("BPF_ALU uses reserved fields");
            read(s, regs);
        } else if (s != 0 || (off != 0 && off != 1) || (off == 1 && o != MOD && o != DIV)) {
            throw reject("BPF_ALU uses reserved fields");
        }
        read(d, regs);
        if ((o == MOD || o == DIV) && !srcX(x) && imm == 0) throw reject("div by zero");
        if ((o == LSH || o == RSH || o == ARSH) && !srcX(x)) {
            int size = c == ALU64 ? 64 : 32;
            if (imm < 0 || imm >= size) throw reject("invalid shift " + imm);
        }
        write(d);
    }

    private void checkAtomic(long x, int d, int s, int imm, int regs) {
        int base = imm & ~FETCH;
        boolean ok = imm == XCHG || imm == CMPXCHG || imm == LOAD_ACQ || imm == STORE_REL
                || ((base == ATOMIC_ADD || base == ATOMIC_AND || base == ATOMIC_OR || base == ATOMIC_XOR) && (imm & ~0xf1) == 0);
        if (!ok) throw reject(String.format("BPF_ATOMIC uses invalid atomic opcode %02x", imm));
        int size = size(x);
        if (imm != LOAD_ACQ && imm != STORE_REL && size != W && size != DW) throw reject("invalid atomic operand size");
        if (imm == LOAD_ACQ) {
            read(s, regs);
            write(d);
            return;
        }
        read(s, regs);
        read(d, regs);
        if (imm == CMPXCHG) read(0, regs);
        if ((imm & FETCH) != 0 && imm != CMPXCHG) write(s);
    }

    private void checkLd(long x, int d, int s, int off, int imm, int regs) {
        int m = mode(x);
        if (m == ABS || m == IND) {
            if (d != 0 || off != 0 || size(x) == DW || (m == ABS && s != 0)) throw reject("BPF_LD_[ABS|IND] uses reserved fields");
            read(6, regs);
            if (m == IND) read(s, regs);
            return;
        }
        if (m != IMM) throw reject("invalid BPF_LD mode");
        if (size(x) != DW) throw reject("invalid BPF_LD_IMM insn");
        if (off != 0) throw reject("BPF_LD_IMM64 uses reserved fields");
        write(d);
    }

    private void checkJmp(long x, int c, int o, int d, int s, int off, int imm, int regs) {
        if (o == CALL) {
            if (srcX(x) || (s != PSEUDO_KFUNC_CALL && off != 0) || (s != 0 && s != PSEUDO_CALL && s != PSEUDO_KFUNC_CALL)
                    || d != 0 || c == JMP32) {
                throw reject("BPF_CALL uses reserved fields");
            }
            // check_helper_call(): an id Linux has no helper for is refused where the walk reaches it,
            // before the registers after it are looked at (a CO-RE-poisoned instruction is such a call).
            if (s == 0 && io.bpf4j.api.asm.Helper.byId(imm) == null) throw reject("invalid func unknown#" + imm);
            if (s == 0 && !gpl && GPL_ONLY.contains(imm)) {
                throw reject("cannot call GPL-restricted function from non-GPL compatible program");
            }
            return;
        }
        if (o == JA) {
            if (srcX(x) || s != 0 || d != 0 || (c == JMP && imm != 0) || (c == JMP32 && off != 0)) throw reject("BPF_JA uses reserved fields");
            return;
        }
        if (o == EXIT) {
            // Linux 6.18 does not look at the offset of an exit.
            if (srcX(x) || imm != 0 || s != 0 || d != 0 || c == JMP32) throw reject("BPF_EXIT uses reserved fields");
            read(0, regs);
            return;
        }
        if (o == 0xe0) {
            // BPF_JCOND is only may_goto (src_reg BPF_MAY_GOTO = 0), dst and imm unused (do_check_insn()).
            if (c != JMP || srcX(x) || s != 0 || d != 0 || imm != 0) throw reject("invalid may_goto imm " + imm);
            return;
        }
        read(d, regs);
        if (srcX(x)) {
            if (imm != 0) throw reject("BPF_JMP/JMP32 uses reserved fields");
            read(s, regs);
        } else if (s != 0) {
            throw reject("BPF_JMP/JMP32 uses reserved fields");
        }
    }
}
