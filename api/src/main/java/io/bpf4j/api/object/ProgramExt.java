package io.bpf4j.api.object;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramBtf;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfExt;
import io.bpf4j.api.btf.CoreRelocationException;
import io.bpf4j.api.btf.CoreRelocator;
import java.util.ArrayList;
import java.util.List;

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
     * The program's {@code func_info} and {@code line_info} for the loaded object BTF.
     *
     * @param btfFd the object's BTF in the backend, or 0 when it was not loaded
     * @return the records, or null when there are none or no BTF
     */
    static ProgramBtf records(ObjectSpec spec, ObjectProgram p, int btfFd) {
        BtfExt ext = spec.btfExt();
        if (btfFd == 0 || ext == null) return null;
        List<BtfExt.FuncInfo> funcs = new ArrayList<>();
        List<BtfExt.LineInfo> lines = new ArrayList<>();
        for (ObjectProgram.Placement f : p.layout()) {
            int shift = (f.base() - f.start()) * 8;
            for (BtfExt.FuncInfo r : ext.funcInfos(f.section())) {
                if (in(f, r.insnIndex())) funcs.add(new BtfExt.FuncInfo(r.insnOff() + shift, r.typeId()));
            }
            for (BtfExt.LineInfo r : ext.lineInfos(f.section())) {
                if (in(f, r.insnIndex())) {
                    lines.add(new BtfExt.LineInfo(r.insnOff() + shift, r.fileNameOff(), r.lineOff(), r.lineCol(), r.fileName(),
                            r.line()));
                }
            }
        }
        if (funcs.isEmpty() && lines.isEmpty()) return null;
        return ProgramBtf.of(btfFd, funcs, lines);
    }

    private static boolean in(ObjectProgram.Placement f, int insn) {
        return insn >= f.start() && insn < f.start() + f.length();
    }

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
