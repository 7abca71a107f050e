package io.bpf4j.sim.internal.cmd;

import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A loaded program's translated instructions ({@code bpf_prog_info.xlated_prog_insns}) as the
 * simulator gives them: the instructions as loaded, with every map reference written the way
 * {@code bpf_insn_prepare_dump()} (kernel/bpf/syscall.c) writes it, a {@code ld_imm64} whose
 * source is {@code BPF_PSEUDO_MAP_FD} (or {@code BPF_PSEUDO_MAP_VALUE}, offset in the second slot)
 * and whose {@code imm} is the map's id; references by fd-array index become the same; a local
 * call holds its target in {@code off} and its subprogram's index in {@code imm}. Nothing else is
 * rewritten: the simulator has no verifier rewrites (context access conversion, inlined
 * map lookups) and keeps helper ids in calls where the kernel has function addresses.
 *
 * <p>The ids are resolved while the program is being loaded, when the descriptors in its
 * instructions still name the maps, and kept beside the program for as long as it lives.
 */
public final class ProgImages {
    private final Kernel k;
    private final Map<KObject, long[]> xlated = new WeakHashMap<>();

    /**
     * Creates the table.
     *
     * @param k the kernel
     */
    public ProgImages(Kernel k) {
        this.k = k;
    }

    /**
     * Records a program just loaded: called under the kernel's lock together with the load, so no
     * descriptor of the instructions can have changed in between.
     *
     * @param progFd the loaded program's descriptor
     * @param spec what it was loaded from
     */
    public void loaded(int progFd, ProgramSpec spec) {
        long[] insns = spec.instructions().clone();
        localCalls(insns);
        for (int pc = 0; pc + 1 < insns.length; pc++) {
            long w = insns[pc];
            if ((w & 0xff) != Opcodes.LD_IMM64) continue;
            int src = (int) (w >>> 12) & 0xf;
            int imm = (int) (w >>> 32);
            int dumped;
            int fd;
            switch (src) {
                case Opcodes.PSEUDO_MAP_FD: dumped = Opcodes.PSEUDO_MAP_FD; fd = imm; break;
                case Opcodes.PSEUDO_MAP_VALUE: dumped = Opcodes.PSEUDO_MAP_VALUE; fd = imm; break;
                // The load checked the index against the fd array.
                case Opcodes.PSEUDO_MAP_IDX: dumped = Opcodes.PSEUDO_MAP_FD; fd = spec.fdArray()[imm]; break;
                case Opcodes.PSEUDO_MAP_IDX_VALUE: dumped = Opcodes.PSEUDO_MAP_VALUE; fd = spec.fdArray()[imm]; break;
                default: pc++; continue;
            }
            int id = k.fd(fd).obj().id();
            insns[pc] = (w & 0xffffffffL & ~0xf000L) | (long) dumped << 12 | (long) id << 32;
            pc++;
        }
        xlated.put(k.fd(progFd).obj(), insns);
    }

    /**
     * Writes local calls as the kernel dumps them after {@code jit_subprogs()}
     * (kernel/bpf/verifier.c): the relative target moves to {@code off} (a 16-bit field, as the
     * kernel assigns it) and {@code imm} becomes the index of the called subprogram, subprograms
     * numbered by where they start (the main program is 0).
     */
    private static void localCalls(long[] insns) {
        java.util.TreeSet<Integer> starts = new java.util.TreeSet<>(java.util.List.of(0));
        for (int pc = 0; pc < insns.length; pc++) {
            if (isLocalCall(insns[pc])) starts.add(pc + (int) (insns[pc] >> 32) + 1);
            if ((insns[pc] & 0xff) == Opcodes.LD_IMM64 && ((insns[pc] >>> 12) & 0xf) == Opcodes.PSEUDO_FUNC) {
                starts.add(pc + (int) (insns[pc] >> 32) + 1);
            }
        }
        for (int pc = 0; pc < insns.length; pc++) {
            if (!isLocalCall(insns[pc])) continue;
            int rel = (int) (insns[pc] >> 32);
            int subprog = starts.headSet(pc + rel + 1).size();
            insns[pc] = (insns[pc] & 0xffffL) | (rel & 0xffffL) << 16 | (long) subprog << 32;
        }
    }

    private static boolean isLocalCall(long w) {
        return (w & 0xff) == (Opcodes.JMP | Opcodes.CALL) && ((w >>> 12) & 0xf) == Opcodes.PSEUDO_CALL;
    }

    /**
     * The translated instructions of a program.
     *
     * @param progFd the program
     * @return a copy of them
     */
    public long[] xlated(int progFd) {
        return k.run(Operation.PROG_XLATED, () -> {
            KObject o = k.fd(progFd).obj();
            if (o.kind() != ObjKind.PROG) throw KErr.of(Errno.EINVAL, "fd " + progFd + " is not a program");
            long[] insns = xlated.get(o);
            if (insns == null) throw new IllegalStateException(o.describe() + " was not loaded through this simulator's progLoad");
            return insns.clone();
        });
    }
}
