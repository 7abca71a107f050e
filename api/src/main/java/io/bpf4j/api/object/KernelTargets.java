package io.bpf4j.api.object;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfKind;

/**
 * The BTF target a BTF-typed program attaches to, found by name as libbpf's
 * {@code libbpf_find_attach_btf_id()} finds it: {@code btf_trace_NAME} typedefs for
 * {@code tp_btf/}, functions for {@code fentry/}, {@code fexit/} and {@code fmod_ret/},
 * {@code bpf_lsm_HOOK} for {@code lsm/}, {@code bpf_iter_TARGET} for {@code iter/}, in the
 * kernel's BTF and then in its modules' (whose BTF object goes in {@code attach_btf_obj_fd});
 * for {@code freplace/}, the function of the target program given in the load options, in
 * that program's BTF.
 */
final class KernelTargets {
    /**
     * Where a program attaches.
     *
     * @param btfId {@code attach_btf_id}
     * @param btfObjFd {@code attach_btf_obj_fd}: a module's BTF object, or 0
     * @param progFd {@code attach_prog_fd}: the program an extension replaces a function of, or 0
     */
    record Target(int btfId, int btfObjFd, int progFd) {
        static final Target NONE = new Target(0, 0, 0);
    }

    private KernelTargets() {
    }

    static boolean needsBtfId(ObjectProgram p) {
        return p.hook() == Hook.TRACING || p.hook() == Hook.LSM || p.hook() == Hook.ITER;
    }

    static Target find(Bpf bpf, String file, ObjectProgram p, KernelView kernel, LoadOptions opts) {
        if (!needsBtfId(p)) return Target.NONE;
        if (p.type() == ProgramType.EXT) return extension(bpf, file, p, opts);
        AttachType t = p.expectedAttachType();
        if (t == null) throw new ObjectFormatException(file, p.section(), p.name(), "no attach type follows from the section");
        if (p.target().isEmpty()) throw new ObjectFormatException(file, p.section(), p.name(), "section names no target");
        String name;
        BtfKind kind = BtfKind.FUNC;
        switch (t) {
            case TRACE_RAW_TP -> {
                name = "btf_trace_" + p.target();
                kind = BtfKind.TYPEDEF;
            }
            case TRACE_FENTRY, TRACE_FEXIT, MODIFY_RETURN -> name = p.target();
            case LSM_MAC, LSM_CGROUP -> name = "bpf_lsm_" + p.target();
            case TRACE_ITER -> name = "bpf_iter_" + p.target();
            default -> throw new ObjectFormatException(file, p.section(), p.name(), "no kernel target for " + t);
        }
        Btf vmlinux = kernel.vmlinux();
        if (vmlinux == null) {
            throw new BpfUnsupportedException(bpf.name(), Operation.PROG_LOAD, "program \"" + p.kernelName()
                    + "\" needs the kernel's BTF to find '" + name + "': " + kernel.whyNoBtf());
        }
        int id = idOf(vmlinux, name, kind, 1);
        if (id != 0) return new Target(id, 0, 0);
        for (KernelView.Module m : kernel.modules()) {
            id = idOf(m.btf(), name, kind, m.btf().firstId());
            if (id != 0) return new Target(id, m.object().fd(), 0);
        }
        throw new BpfUnsupportedException(bpf.name(), Operation.PROG_LOAD, "program \"" + p.kernelName() + "\" attaches to "
                + kind + " '" + name + "', which neither vmlinux's BTF nor a loaded module's has");
    }

    private static int idOf(Btf btf, String name, BtfKind kind, int from) {
        for (int id : btf.ids(name)) {
            if (id >= from && btf.kind(id) == kind) return id;
        }
        return 0;
    }

    /** An extension's target: the function, by name, in the BTF of the program given in the options. */
    private static Target extension(Bpf bpf, String file, ObjectProgram p, LoadOptions opts) {
        LoadOptions.ExtensionTarget x = opts.extensionTarget(p.name()).orElseThrow(() -> new IllegalArgumentException(
                "options: program \"" + p.name() + "\" (section '" + p.section() + "') of " + file + " replaces a function"
                        + " of another program; name that program with LoadOptions.withExtensionTarget"));
        String function = x.function().isEmpty() ? p.target() : x.function();
        if (function.isEmpty()) {
            throw new IllegalArgumentException("options: program \"" + p.name() + "\": its section names no function to"
                    + " replace, and the extension target names none");
        }
        ProgramInfo info = bpf.progGetInfo(x.programFd());
        if (info.btfId() == 0) {
            throw new IllegalArgumentException("options: the target of program \"" + p.name() + "\" (descriptor "
                    + x.programFd() + ", program \"" + info.name() + "\") was loaded without BTF, so none of its"
                    + " functions can be replaced");
        }
        Btf btf;
        try (BpfBtf obj = BpfBtf.fromId(bpf, info.btfId())) {
            btf = obj.parse();
        }
        int id = idOf(btf, function, BtfKind.FUNC, 1);
        if (id == 0) {
            throw new IllegalArgumentException("options: the target of program \"" + p.name() + "\" (program \""
                    + info.name() + "\") has no function '" + function + "' in its BTF");
        }
        return new Target(id, 0, x.programFd());
    }
}
