package io.bpf4j.sim.internal.verifier;

import static io.bpf4j.api.asm.Opcodes.*;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramType;
import io.bpf4j.sim.internal.maps.SimMap;
import io.bpf4j.sim.internal.prog.Insns;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The type-checking half of the kernel's verifier ({@code do_check()} in
 * {@code kernel/bpf/verifier.c}, Linux 6.18), run after the structural checks: every path from
 * each function's entry is walked with the registers' abstract values, branches the values decide
 * are followed one way, and a state covered by one already explored at a jump target is pruned.
 * Refusals carry the kernel's errno and wording.
 *
 * <p>The model never refuses a program the kernel accepts: where it cannot judge (values from
 * helpers or memory it does not model, bounds the kernel tracks more tightly, paths the kernel may
 * prove dead, too many states) it accepts and says so in a {@code unverified:} line.
 * Static functions and the callbacks of the helpers it follows are checked in their callers'
 * context ({@link Frames}); global functions and other callbacks on their own, with arguments it
 * does not judge.
 */
public final class Verifier {
    /** A refusal: the errno and the verifier's message. */
    public static final class Reject extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final Errno errno;
        /** The refusal rests on bounds the kernel may know better: the program is only marked unverified. */
        final boolean inexact;

        Reject(Errno errno, String message, boolean inexact) {
            super(message, null, false, false);
            this.errno = errno;
            this.inexact = inexact;
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

    /** Instructions walked before the model gives up (the kernel's limit is the same count). */
    static final int LIMIT = 1_000_000;

    final long[] w;
    final ProgramType type;
    final AttachType eat;
    final boolean sleepable;
    final boolean strictAlignment;
    private final IntFunction<SimMap> mapByFd;
    private final int[] fdArray;
    private final Set<String> notes = new LinkedHashSet<>();
    private final BitSet starts = new BitSet();
    private final BitSet prune = new BitSet();
    private int processed;
    private int ids;
    private int[] live;
    /** Whether the function being walked is the main program. */
    boolean main;
    /**
     * Whether the walk so far is one path that the kernel walks the same way: every branch went
     * one way on constants the kernel knows too, and nothing forked. The kernel prunes a path only
     * against finished states, so it walks such a path instruction by instruction as the model
     * does, and refuses it past its limit.
     */
    boolean onePath = true;
    private final BitSet globals = new BitSet();
    private final BitSet entered = new BitSet();
    /** Functions whose address an {@code ld_imm64} takes. */
    private final BitSet funcTaken = new BitSet();
    private StackDepth depths;
    private int mainStack = -1;

    /**
     * Prepares a check.
     *
     * @param insns the instructions, already structurally checked
     * @param type the program type
     * @param eat the expected attach type, or null
     * @param flags the load flags
     * @param mapByFd the map behind a descriptor
     * @param fdArray the load's fd array, or null
     */
    public Verifier(long[] insns, ProgramType type, AttachType eat, int flags, IntFunction<SimMap> mapByFd, int[] fdArray) {
        this.w = insns;
        this.type = type;
        this.eat = eat;
        this.sleepable = (flags & io.bpf4j.api.ProgramFlags.SLEEPABLE) != 0;
        this.strictAlignment = (flags & io.bpf4j.api.ProgramFlags.STRICT_ALIGNMENT) != 0;
        this.mapByFd = mapByFd;
        this.fdArray = fdArray;
    }

    /**
     * Checks the program.
     *
     * @return the lines for the log: what the model could not judge, empty when it judged everything
     * @throws Reject when the kernel refuses the program
     */
    public List<String> verify() {
        starts.set(0);
        for (int i = 0; i < w.length; i++) {
            long x = w[i];
            if (Insns.isPseudoCall(x) || Insns.isLdImm64(x) && Insns.src(x) == PSEUDO_FUNC) starts.set(i + Insns.imm(x) + 1);
            if (Insns.isLdImm64(x) && Insns.src(x) == PSEUDO_FUNC) funcTaken.set(i + Insns.imm(x) + 1);
            if (Insns.isJmp(x) && Insns.op(x) != CALL && Insns.op(x) != EXIT) {
                prune.set(Insns.target(i, x));
                if (Insns.op(x) != JA) prune.set(i + 1);
            }
            if (Insns.isLdImm64(x)) i++;
        }
        Maps.checkProgCompat(this);
        live = Liveness.of(w);
        depths = new StackDepth(w, starts);
        main = true;
        boolean done = walk(0);
        main = false;
        // Static functions are checked where they are called, callbacks where the helper takes
        // them; a static function no walked path calls is not checked, as the kernel does not.
        // Global functions and callbacks of helpers the model does not follow (timers,
        // find_vma) are checked on their own with arguments the model does not judge; such a
        // callback may also sit on a path the kernel proves dead, so what is found in it only
        // marks the program unverified.
        for (int s = starts.nextSetBit(1); done && s >= 0; s = starts.nextSetBit(s + 1)) {
            if (entered.get(s) || !globals.get(s) && !funcTaken.get(s)) continue;
            note(globals.get(s) ? "global functions checked without their BTF argument types"
                    : "callbacks of helpers the model does not follow checked without their arguments");
            done = walk(s);
        }
        if (done) {
            depths.check(this);
            mainStack = depths.main();
        }
        return new ArrayList<>(notes);
    }

    /**
     * How many bytes below the frame pointer the program's main function reaches, on every path
     * walked (those the kernel may prove dead included), in 8-byte slots; -1 until
     * {@link #verify()} finished its walk, and when it stopped short of judging the program.
     *
     * @return the depth in bytes, or -1 when unknown
     */
    public int stackDepth() {
        return mainStack;
    }

    /**
     * Instructions walked.
     *
     * @return the count
     */
    public int processed() {
        return processed;
    }

    /**
     * Says which functions are global ({@code BTF_FUNC_GLOBAL} in the program's func_info): the
     * kernel checks them on their own, once, not in their callers' context.
     *
     * @param starts their first instructions
     * @return this
     */
    public Verifier globals(Set<Integer> starts) {
        for (int s : starts) globals.set(s);
        return this;
    }

    boolean isGlobal(int start) {
        return globals.get(start);
    }

    void entered(int start) {
        entered.set(start);
    }

    /** Records a stack access at {@code off} in frame {@code frame} for the stack depth check. */
    void stackUsed(VState s, int frame, long off, boolean speculative) {
        depths.used(s.funcOf(frame), off, speculative);
    }

    int newId() {
        return ++ids;
    }

    void note(String why) {
        notes.add("unverified: " + why);
    }

    SimMap map(long x, long next) {
        int s = Insns.src(x);
        int fd = s == PSEUDO_MAP_IDX || s == PSEUDO_MAP_IDX_VALUE ? fdArray[Insns.imm(x)] : Insns.imm(x);
        return mapByFd.apply(fd);
    }

    private VState entry(int start) {
        VState s = new VState();
        s.pc = start;
        s.func = start;
        if (start == 0) {
            s.regs[1] = Reg.ptr(Reg.CTX);
        } else {
            for (int r = 1; r <= 5; r++) s.regs[r] = Reg.any();
            s.speculative = !globals.get(start);
        }
        s.regs[10] = Reg.ptr(Reg.STACK);
        return s;
    }

    /** Walks one function's paths; false when the model gave up on the program. */
    private boolean walk(int start) {
        ArrayDeque<VState> pending = new ArrayDeque<>();
        StateStore store = new StateStore(w.length);
        pending.push(entry(start));
        while (!pending.isEmpty()) {
            VState s = pending.pop();
            while (true) {
                if (++processed > LIMIT) {
                    if (onePath && starts.cardinality() == 1) {
                        throw new Reject(Errno.E2BIG, "BPF program is too large. Processed " + processed + " insn", false);
                    }
                    note("more than " + LIMIT + " instructions walked without the kernel's state pruning");
                    return false;
                }
                if (prune.get(s.pc) && store.visit(s, live[s.pc] | (1 << 10))) {
                    StateStore.ended(s);
                    break;
                }
                int pc = s.pc;
                int before = pending.size();
                boolean goes;
                try {
                    goes = step(s, pending);
                } catch (Reject r) {
                    String at = String.format("%d: (%02x) ", pc, Insns.code(w[pc]));
                    if (s.speculative || r.inexact) {
                        note(at + r.getMessage().replace('\n', ' ') + (r.inexact ? " (bounds the kernel tracks more tightly)"
                                : " (on a path the kernel may prove dead)"));
                        goes = false;
                    } else {
                        throw new Reject(r.errno(), String.format("%d: (%02x)%n%s", pc, Insns.code(w[pc]), r.getMessage()), false);
                    }
                }
                StateStore.forked(s, pending.size() - before);
                if (pending.size() > before) onePath = false;
                if (!goes) {
                    StateStore.ended(s);
                    break;
                }
            }
        }
        return true;
    }

    /** One instruction; false when the path ended. */
    private boolean step(VState s, ArrayDeque<VState> pending) {
        long x = w[s.pc];
        switch (Insns.cls(x)) {
            case ALU:
            case ALU64:
                Alu.step(this, s, x);
                s.pc++;
                return true;
            case LDX:
            case ST:
            case STX:
                Mem.step(this, s, x);
                s.pc++;
                return true;
            case LD:
                ld(s, x);
                return true;
            default:
                return Jumps.step(this, s, x, pending);
        }
    }

    private void ld(VState s, long x) {
        int d = Insns.dst(x);
        if (Insns.isLdImm64(x)) {
            long next = w[s.pc + 1];
            int src = Insns.src(x);
            Reg r;
            if (src == 0) {
                r = Reg.constant((Insns.imm(x) & Reg.U32) | ((long) Insns.imm(next) << 32));
            } else if (src == PSEUDO_FUNC) {
                // A function's address: it is checked where a helper takes it as a callback.
                r = Reg.any();
                r.func = s.pc + Insns.imm(x) + 2;
            } else if (src == PSEUDO_MAP_VALUE || src == PSEUDO_MAP_IDX_VALUE) {
                r = Reg.ptr(Reg.MAP_VALUE);
                r.map = map(x, next);
                r.off = Insns.imm(next) & Reg.U32;
            } else {
                r = Reg.ptr(Reg.MAP_PTR);
                r.map = map(x, next);
            }
            s.regs[d] = r;
            s.pc += 2;
            return;
        }
        // LD_ABS / LD_IND: check_ld_abs().
        if (!Ctx.mayLdAbs(type)) reject(Errno.EINVAL, "BPF_LD_[ABS|IND] instructions not allowed for this program type");
        if (s.lockMap != null) reject(Errno.EINVAL, "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region");
        if (s.refs.length > 0) reject(Errno.EINVAL, "BPF_LD_[ABS|IND] cannot be mixed with socket references");
        Reg r6 = read(s, 6);
        if (r6.type != Reg.CTX && r6.type != Reg.ANY) reject(Errno.EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointing to skb");
        if (Insns.mode(x) == IND) {
            Reg src = read(s, Insns.src(x));
            if (src.isPointer()) reject(Errno.EACCES, "R" + Insns.src(x) + " leaks addr into packet");
        }
        clobberCall(s);
        s.regs[0] = Reg.unknown(true);
        s.pc++;
    }

    /** r1-r5 are scratch across a call. */
    static void clobberCall(VState s) {
        for (int r = 1; r <= 5; r++) s.regs[r] = Reg.notInit();
    }

    static Reg read(VState s, int r) {
        Reg g = s.regs[r];
        if (g.type == Reg.NOT_INIT) reject(Errno.EACCES, "R" + r + " !read_ok");
        return g;
    }

    static void reject(Errno e, String msg) {
        throw new Reject(e, msg, false);
    }

    /** A refusal that rests on bounds: definite only when the value's bounds are exact. */
    static void reject(Errno e, String msg, boolean exact) {
        throw new Reject(e, msg, !exact);
    }
}
