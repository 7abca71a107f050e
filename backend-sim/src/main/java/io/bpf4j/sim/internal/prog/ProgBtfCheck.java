package io.bpf4j.sim.internal.prog;

import io.bpf4j.api.Errno;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfFormatException;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.sim.internal.kernel.FdTable;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.SimBtf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.TreeSet;

/**
 * A program's {@code func_info} and {@code line_info}, checked as Linux 6.18's
 * {@code check_btf_info_early()}, {@code check_btf_func_early()}, {@code check_btf_func()} and
 * {@code check_btf_line()} (kernel/bpf/verifier.c) do: the BTF descriptor, record sizes, zero
 * tails, instruction offsets that start at 0, increase and match the subprograms, FUNC type ids
 * and string offsets inside the BTF's string section. A refusal is a {@link Checker.Reject}
 * (a verifier log line and EINVAL), except a descriptor that is not BTF, which the kernel
 * reports without a log.
 */
final class ProgBtfCheck {
    private static final int BPF_CALL = 0x85;
    private static final int PSEUDO_CALL = 1;
    private static final int LD_IMM64 = 0x18;
    private static final int PSEUDO_FUNC = 4;

    private ProgBtfCheck() {
    }

    /**
     * Checks the records and returns the BTF object they refer to, or null when the program
     * has no records (the kernel ignores {@code prog_btf_fd} then).
     *
     * @param k the kernel
     * @param b the program's BTF, or null
     * @param insns the instructions
     * @return the BTF object, not yet held
     * @throws KErr EBADF or EINVAL for a descriptor that is not a loaded BTF object
     * @throws Checker.Reject for bad records
     */
    static SimBtf check(Kernel k, ProgramBtf b, long[] insns) {
        TreeSet<Integer> callbacks = callbacks(insns);
        // check_ld_imm(): taking a function's address needs func_info saying the function is static.
        if (!callbacks.isEmpty() && (b == null || b.funcInfoCount() == 0)) throw reject("missing btf func_info");
        if (b == null || b.funcInfoCount() == 0 && b.lineInfoCount() == 0) return null;
        FdTable.Entry e = k.fd(b.btfFd());
        if (!(e.obj() instanceof SimBtf sb)) throw KErr.of(Errno.EINVAL, "prog_btf_fd is not a BTF object");
        Btf btf;
        try {
            btf = Btf.parse(sb.data());
        } catch (BtfFormatException ex) {
            btf = null;
        }
        TreeSet<Integer> subprogs = subprogs(insns);
        if (b.funcInfoCount() > 0) funcs(b, btf, subprogs);
        if (b.lineInfoCount() > 0) lines(b, btf, insns, subprogs);
        ByteBuffer r = records(b.funcInfo());
        for (int i = 0; i < b.funcInfoCount(); i++) {
            int at = i * b.funcInfoRecSize();
            if (callbacks.contains(r.getInt(at))
                    && btf.type(r.getInt(at + 4), BtfType.Func.class).linkage() != BtfLinkage.STATIC) {
                throw reject("callback function not static");
            }
        }
        return sb;
    }

    /**
     * The subprograms {@code func_info} says are global ({@code BTF_FUNC_GLOBAL}), which the kernel
     * checks on their own rather than in their callers' context.
     *
     * @param b the program's BTF, already checked, or null
     * @param btf its BTF object, or null
     * @return their first instructions
     */
    static java.util.Set<Integer> globals(ProgramBtf b, SimBtf btf) {
        java.util.Set<Integer> out = new TreeSet<>();
        if (b == null || btf == null || b.funcInfoCount() == 0) return out;
        Btf t;
        try {
            t = Btf.parse(btf.data());
        } catch (BtfFormatException ex) {
            return out;
        }
        ByteBuffer r = records(b.funcInfo());
        for (int i = 1; i < b.funcInfoCount(); i++) {
            int at = i * b.funcInfoRecSize();
            if (t.type(r.getInt(at + 4), BtfType.Func.class).linkage() == BtfLinkage.GLOBAL) out.add(r.getInt(at));
        }
        return out;
    }

    /** The instructions whose address an {@code ld_imm64} of {@code BPF_PSEUDO_FUNC} takes. */
    private static TreeSet<Integer> callbacks(long[] insns) {
        TreeSet<Integer> targets = new TreeSet<>();
        for (int i = 0; i < insns.length; i++) {
            long w = insns[i];
            if ((w & 0xff) == LD_IMM64) {
                if (((int) (w >>> 12) & 0xf) == PSEUDO_FUNC) targets.add(i + (int) (w >> 32) + 1);
                i++;
            }
        }
        return targets;
    }

    /** Subprogram starts: 0, every target of a {@code BPF_PSEUDO_CALL} and every function whose address is taken. */
    private static TreeSet<Integer> subprogs(long[] insns) {
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        for (int i = 0; i < insns.length; i++) {
            long w = insns[i];
            int src = (int) (w >>> 12) & 0xf;
            if ((w & 0xff) == BPF_CALL && src == PSEUDO_CALL) starts.add(i + (int) (w >> 32) + 1);
            if ((w & 0xff) == LD_IMM64 && src == PSEUDO_FUNC) starts.add(i + (int) (w >> 32) + 1);
            if ((w & 0xff) == LD_IMM64) i++;
        }
        return starts;
    }

    private static ByteBuffer records(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
    }

    private static void tailZero(ByteBuffer r, int at, int min, int size, String what) {
        for (int j = min; j < size; j++) {
            if (r.get(at + j) != 0) throw new Checker.Reject(Errno.E2BIG, "nonzero tailing record in " + what);
        }
    }

    private static void funcs(ProgramBtf b, Btf btf, TreeSet<Integer> subprogs) {
        ByteBuffer r = records(b.funcInfo());
        int size = b.funcInfoRecSize();
        int prev = 0;
        Integer[] starts = subprogs.toArray(new Integer[0]);
        for (int i = 0; i < b.funcInfoCount(); i++) {
            int at = i * size;
            tailZero(r, at, ProgramBtf.FUNC_INFO_MIN, size, "func info");
            int off = r.getInt(at);
            int type = r.getInt(at + 4);
            if (i == 0 && off != 0) throw reject("nonzero insn_off " + Integer.toUnsignedString(off) + " for the first func info record");
            if (i > 0 && Integer.compareUnsigned(off, prev) <= 0) {
                throw reject("same or smaller insn offset (" + Integer.toUnsignedString(off) + ") than previous func info record ("
                        + prev + ")");
            }
            if (btf == null || type <= 0 || type >= btf.typeCount() || btf.kind(type) != BtfKind.FUNC) {
                throw reject("invalid type id " + type);
            }
            prev = off;
        }
        if (b.funcInfoCount() != starts.length) throw reject("number of funcs in func_info doesn't match number of subprogs");
        for (int i = 0; i < starts.length; i++) {
            if (r.getInt(i * size) != starts[i]) throw reject("func_info BTF section doesn't match subprog layout in BPF program");
        }
    }

    private static void lines(ProgramBtf b, Btf btf, long[] insns, TreeSet<Integer> subprogs) {
        ByteBuffer r = records(b.lineInfo());
        int size = b.lineInfoRecSize();
        int prev = 0;
        long strLen = btf == null ? 0 : btf.stringsLength();
        Integer[] starts = subprogs.toArray(new Integer[0]);
        int s = 0;
        for (int i = 0; i < b.lineInfoCount(); i++) {
            int at = i * size;
            tailZero(r, at, ProgramBtf.LINE_INFO_MIN, size, "line_info");
            int off = r.getInt(at);
            long file = Integer.toUnsignedLong(r.getInt(at + 4));
            long line = Integer.toUnsignedLong(r.getInt(at + 8));
            if (i > 0 && Integer.compareUnsigned(off, prev) <= 0 || Integer.compareUnsigned(off, insns.length) >= 0) {
                throw reject("Invalid line_info[" + i + "].insn_off:" + Integer.toUnsignedString(off) + " (prev_offset:" + prev
                        + " prog->len:" + insns.length + ")");
            }
            // The second half of a 64-bit immediate load has opcode 0.
            if ((insns[off] & 0xff) == 0) throw reject("Invalid insn code at line_info[" + i + "].insn_off");
            if (file >= strLen || line >= strLen) throw reject("Invalid line_info[" + i + "].line_off or .file_name_off");
            if (s < starts.length) {
                if (off == starts[s]) {
                    s++;
                } else if (starts[s] < off) {
                    throw reject("missing bpf_line_info for func#" + s);
                }
            }
            prev = off;
        }
        if (s != starts.length) {
            throw reject("missing bpf_line_info for " + (starts.length - s) + " funcs starting from func#" + s);
        }
    }

    private static Checker.Reject reject(String msg) {
        return new Checker.Reject(Errno.EINVAL, msg);
    }
}
