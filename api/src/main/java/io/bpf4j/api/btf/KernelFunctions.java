package io.bpf4j.api.btf;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.ProgramSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Kernel attach targets by name: turns the name of a kernel function, iterator or BTF
 * tracepoint into the BTF id (and, for a module, the module's BTF object) that
 * {@code BPF_PROG_LOAD} takes as {@code attach_btf_id} and {@code attach_btf_obj_fd}.
 *
 * <p>The BTF name searched depends on the attach type, as the kernel names its targets:
 * {@code bpf_iter_<name>} (a FUNC) for iterators, {@code btf_trace_<name>} (a TYPEDEF) for BTF
 * tracepoints, {@code bpf_lsm_<name>} (a FUNC) for LSM hooks, and the function's own name (a
 * FUNC) for fentry, fexit and fmod_ret. vmlinux is searched first, then each module's BTF
 * object (found with {@code BPF_BTF_GET_NEXT_ID}, {@code BPF_BTF_GET_FD_BY_ID} and the
 * object's name), read from {@code /sys/kernel/btf/<module>} or, when that file is missing,
 * from the object itself.
 *
 * {@snippet :
 * try (KernelFunctions.Target t = KernelFunctions.resolve(bpf, AttachType.TRACE_ITER, "bpf_map")) {
 *     ProgramSpec spec = t.applyTo(ProgramSpec.of(ProgramType.TRACING, insns, "GPL"));
 *     // load the program while t is open: a module target's BTF object must stay open until then
 * }
 * }
 */
public final class KernelFunctions {
    private KernelFunctions() {
    }

    /**
     * A resolved target. Close it once the program is loaded: for a module it owns a descriptor
     * of the module's BTF object.
     *
     * @param attachType the attach type the target was resolved for
     * @param btfName the BTF name found, e.g. {@code bpf_iter_bpf_map}
     * @param btfId its id in vmlinux's or the module's BTF
     * @param module the module's name, or null for vmlinux
     * @param moduleBtf the module's BTF object, or null for vmlinux
     */
    public record Target(AttachType attachType, String btfName, int btfId, String module, BpfBtf moduleBtf)
            implements AutoCloseable {
        /**
         * The descriptor for {@code attach_btf_obj_fd}.
         *
         * @return the module BTF object's descriptor, or 0 for vmlinux
         */
        public int btfObjFd() {
            return moduleBtf == null ? 0 : moduleBtf.fd();
        }

        /**
         * A copy of a spec that attaches here: the expected attach type, the BTF id and object.
         *
         * @param spec the program
         * @return the copy
         */
        public ProgramSpec applyTo(ProgramSpec spec) {
            return spec.withExpectedAttachType(attachType).withAttachBtf(btfId, btfObjFd(), 0);
        }

        /** Closes the module's BTF object, if any. */
        @Override
        public void close() {
            if (moduleBtf != null) moduleBtf.close();
        }
    }

    /**
     * The BTF name and kind the kernel gives the target of an attach type.
     *
     * @param type the attach type
     * @param name the target's name (without prefix)
     * @return the BTF name
     * @throws IllegalArgumentException when the attach type takes no kernel BTF target
     */
    public static String btfName(AttachType type, String name) {
        return prefix(type) + name;
    }

    private static String prefix(AttachType type) {
        switch (type) {
            case TRACE_ITER:
                return "bpf_iter_";
            case TRACE_RAW_TP:
                return "btf_trace_";
            case LSM_MAC:
            case LSM_CGROUP:
                return "bpf_lsm_";
            case TRACE_FENTRY:
            case TRACE_FEXIT:
            case MODIFY_RETURN:
                return "";
            default:
                throw new IllegalArgumentException("type: " + type + " takes no kernel BTF target by name");
        }
    }

    private static BtfKind kind(AttachType type) {
        return type == AttachType.TRACE_RAW_TP ? BtfKind.TYPEDEF : BtfKind.FUNC;
    }

    /**
     * Finds the target in vmlinux only (no backend needed).
     *
     * @param type the attach type
     * @param name the target's name, without the kernel's prefix
     * @return the id in vmlinux's BTF, if it has the target
     * @throws IllegalArgumentException when the name is empty or the attach type takes no target
     * @throws UncheckedIOException when the kernel publishes no BTF
     */
    public static Optional<Integer> vmlinuxId(AttachType type, String name) {
        check(type, name);
        return KernelBtf.vmlinux().find(btfName(type, name), kind(type)).map(t -> idOf(KernelBtf.vmlinux(), t));
    }

    private static int idOf(Btf btf, BtfType t) {
        for (int id : btf.ids(t.name())) {
            if (btf.kind(id) == t.kind()) return id;
        }
        throw new IllegalStateException("type " + t.name() + " has no id");
    }

    private static void check(AttachType type, String name) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) throw new IllegalArgumentException("name: empty");
        prefix(type);
    }

    /**
     * Resolves a target by name: vmlinux first, then the loaded modules' BTF objects.
     *
     * @param bpf the backend, to find and open module BTF objects
     * @param type the attach type
     * @param name the target's name, without the kernel's prefix (e.g. {@code bpf_map} for
     *     the map iterator, {@code sched_switch} for a BTF tracepoint)
     * @return the target; close it after loading the program
     * @throws IllegalArgumentException when the name is empty or the attach type takes no target
     * @throws NoSuchElementException when neither vmlinux nor a module has the target
     * @throws UncheckedIOException when the kernel publishes no BTF
     */
    public static Target resolve(Bpf bpf, AttachType type, String name) {
        Objects.requireNonNull(bpf, "bpf");
        Optional<Integer> v = vmlinuxId(type, name);
        String btfName = btfName(type, name);
        if (v.isPresent()) return new Target(type, btfName, v.get(), null, null);
        BtfKind kind = kind(type);
        for (int id = bpf.btfGetNextId(0); id != 0; id = bpf.btfGetNextId(id)) {
            BpfBtf obj;
            try {
                obj = BpfBtf.fromId(bpf, id);
            } catch (RuntimeException gone) {
                continue; // freed between next-id and fd-by-id
            }
            boolean keep = false;
            try {
                BtfInfo info = obj.info();
                if (!info.kernel() || info.name().equals("vmlinux") || info.name().isEmpty()) continue;
                Btf btf = moduleBtf(info.name(), obj);
                Optional<BtfType> t = btf.find(btfName, kind);
                if (t.isPresent()) {
                    for (int tid : btf.ids(btfName)) {
                        if (tid >= btf.firstId() && btf.kind(tid) == kind) {
                            keep = true;
                            return new Target(type, btfName, tid, info.name(), obj);
                        }
                    }
                }
            } finally {
                if (!keep) obj.close();
            }
        }
        throw new NoSuchElementException("name: no " + kind + " \"" + btfName + "\" in vmlinux or a loaded module's BTF");
    }

    private static Btf moduleBtf(String module, BpfBtf obj) {
        if (!module.contains("/") && Files.exists(KernelBtf.DIRECTORY.resolve(module))) return KernelBtf.module(module);
        return Btf.parse(obj.data(), KernelBtf.vmlinux());
    }
}
