package io.bpf4j.api.object;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.CoreRelocationException;
import io.bpf4j.api.btf.CoreRelocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code .BTF.ext} gives a linked program: its CO-RE relocations applied against the
 * target's BTF, and its {@code func_info} and {@code line_info}, each record moved from its
 * function's place in its section to the function's place in the program, as libbpf's
 * {@code bpf_object__relocate_core()} and {@code adjust_prog_btf_ext_info()} do. Every function
 * of the program (callbacks included) is placed whole, so each keeps its records.
 */
final class ProgramExt {
    private ProgramExt() {
    }

    /**
     * Applies the program's CO-RE relocations to its instructions.
     *
     * @param relocator the engine for the object's BTF and the target, or null when there is no target
     * @param kernel the backend's kernel, to say why there is no target
     * @throws BpfUnsupportedException when the program needs CO-RE and there is no target
     * @throws ObjectFormatException when a relocation cannot be applied
     */
    static void core(ObjectSpec spec, ObjectProgram p, long[] insns, CoreRelocator relocator, KernelView kernel) {
        if (p.coreRelocations() == 0) return;
        if (relocator == null) {
            throw new BpfUnsupportedException(kernel.backend(), Operation.PROG_LOAD, "program \"" + p.kernelName() + "\" ("
                    + spec.file() + ") has " + p.coreRelocations() + " CO-RE relocations and no BTF to resolve them"
                    + " against: " + kernel.whyNoBtf() + "; give one with LoadOptions.withTargetBtf");
        }
        BtfExt ext = spec.btfExt();
        for (ObjectProgram.Placement f : p.layout()) {
            for (BtfExt.CoreRelo r : ext.coreRelos(f.section())) {
                int i = r.insnIndex();
                if (i < f.start() || i >= f.start() + f.length()) continue;
                BtfExt.CoreRelo moved = new BtfExt.CoreRelo((f.base() + i - f.start()) * 8, r.typeId(), r.accessStrOff(),
                        r.accessString(), r.kind());
                try {
                    CoreRelocator.patch(insns, relocator.resolve(moved));
                } catch (CoreRelocationException | IllegalArgumentException e) {
                    ObjectFormatException x = new ObjectFormatException(spec.file(), f.section(), f.function(),
                            "CO-RE relocation at instruction " + i + " of the section: " + e.getMessage());
                    x.initCause(e);
                    throw x;
                }
            }
        }
    }

    /**
     * The object's {@code func_info} and {@code line_info} records as flat arrays, per section,
     * for one load. Every program of a section (all of an object's {@code SEC("xdp")} programs
     * share one) takes its records from the section's; kept sorted by instruction as compilers
     * write them, a program's are found by binary search instead of a pass over all of them.
     */
    static final class Records {
        private final Map<String, Part> funcs = new HashMap<>();
        private final Map<String, Part> lines = new HashMap<>();

        Records(BtfExt ext) {
            if (ext == null) return;
            for (BtfExt.Section<BtfExt.FuncInfo> s : ext.funcInfos()) {
                List<BtfExt.FuncInfo> rs = s.records();
                Part part = new Part(rs.size(), 1);
                for (BtfExt.FuncInfo r : rs) part.add(r.insnIndex(), r.typeId(), 0, 0);
                funcs.putIfAbsent(s.name(), part);
            }
            for (BtfExt.Section<BtfExt.LineInfo> s : ext.lineInfos()) {
                List<BtfExt.LineInfo> rs = s.records();
                Part part = new Part(rs.size(), 3);
                for (BtfExt.LineInfo r : rs) part.add(r.insnIndex(), r.fileNameOff(), r.lineOff(), r.lineCol());
                lines.putIfAbsent(s.name(), part);
            }
        }

        /**
         * The program's {@code func_info} and {@code line_info} for the loaded object BTF: each
         * placed function's records in file order, moved to where the function lies in the program.
         *
         * @param btfFd the object's BTF in the backend, or 0 when it was not loaded
         * @return the records, or null when there are none or no BTF
         */
        ProgramBtf of(ObjectProgram p, int btfFd) {
            if (btfFd == 0 || funcs.isEmpty() && lines.isEmpty()) return null;
            Out f = new Out(ProgramBtf.FUNC_INFO_MIN);
            Out l = new Out(ProgramBtf.LINE_INFO_MIN);
            for (ObjectProgram.Placement pl : p.layout()) {
                copy(funcs.get(pl.section()), pl, f);
                copy(lines.get(pl.section()), pl, l);
            }
            if (f.count == 0 && l.count == 0) return null;
            return new ProgramBtf(btfFd, f.count == 0 ? 0 : ProgramBtf.FUNC_INFO_MIN, f.bytes(), f.count,
                    l.count == 0 ? 0 : ProgramBtf.LINE_INFO_MIN, l.bytes(), l.count);
        }

        private static void copy(Part part, ObjectProgram.Placement pl, Out out) {
            if (part == null) return;
            int end = pl.start() + pl.length();
            int shift = pl.base() - pl.start();
            int i = part.sorted ? part.first(pl.start()) : 0;
            for (; i < part.count; i++) {
                int insn = part.insn[i];
                if (insn >= end && part.sorted) break;
                if (insn < pl.start() || insn >= end) continue;
                out.record(insn + shift, part.data, i * part.stride, part.stride);
            }
        }
    }

    /** One section's records: instruction indexes and the other fields, {@code stride} ints each. */
    private static final class Part {
        final int[] insn;
        final int[] data;
        final int stride;
        int count;
        boolean sorted = true;

        Part(int n, int stride) {
            this.insn = new int[n];
            this.data = new int[n * stride];
            this.stride = stride;
        }

        void add(int index, int a, int b, int c) {
            if (count > 0 && insn[count - 1] > index) sorted = false;
            insn[count] = index;
            int at = count * stride;
            data[at] = a;
            if (stride > 1) {
                data[at + 1] = b;
                data[at + 2] = c;
            }
            count++;
        }

        /** The first record at or after an instruction, in a sorted part. */
        int first(int start) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (insn[mid] < start) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }
    }

    /** Records written as the kernel reads them: native-order ints, the instruction index first. */
    private static final class Out {
        private final int size;
        private byte[] b = new byte[0];
        int count;

        Out(int size) {
            this.size = size;
        }

        void record(int insn, int[] data, int from, int n) {
            int at = count * size;
            if (at + size > b.length) b = Arrays.copyOf(b, Math.max(4 * size, 2 * b.length));
            INT.set(b, at, insn);
            for (int k = 0; k < n; k++) INT.set(b, at + 4 + 4 * k, data[from + k]);
            count++;
        }

        byte[] bytes() {
            return count == 0 ? null : Arrays.copyOf(b, count * size);
        }
    }

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /**
     * A relocator for the object and the kernel, or null when either has no BTF. As libbpf, the
     * modules' BTF serves types vmlinux lacks, unless a target BTF was given in the options.
     */
    static CoreRelocator relocator(ObjectSpec spec, KernelView kernel, boolean overridden) {
        Btf target = kernel.coreTarget();
        if (target == null || spec.btf().isEmpty()) return null;
        if (overridden) return new CoreRelocator(spec.btf().get(), target);
        return new CoreRelocator(spec.btf().get(), target, () -> kernel.modules().stream().map(KernelView.Module::btf).toList());
    }
}
