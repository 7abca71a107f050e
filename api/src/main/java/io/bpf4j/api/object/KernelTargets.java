package io.bpf4j.api.object;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.KernelBtf;

/**
 * The kernel BTF id a BTF-typed program attaches to, found by name in vmlinux's BTF as libbpf's
 * {@code find_kernel_btf_id()} finds it: {@code btf_trace_NAME} typedefs for {@code tp_btf/},
 * functions for {@code fentry/}, {@code fexit/} and {@code fmod_ret/}, {@code bpf_lsm_HOOK} for
 * {@code lsm/}, {@code bpf_iter_TARGET} for {@code iter/}. Modules' BTF is not searched yet.
 */
final class KernelTargets {
    private KernelTargets() {
    }

    static boolean needsBtfId(ObjectProgram p) {
        return p.hook() == Hook.TRACING || p.hook() == Hook.LSM || p.hook() == Hook.ITER;
    }

    static int btfId(String backend, String file, ObjectProgram p) {
        AttachType t = p.expectedAttachType();
        if (t == null) {
            throw new ObjectFormatException(file, p.section(), p.name(), p.type() + " programs need a target program"
                    + " (freplace), which the loader does not take yet");
        }
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
        Btf vmlinux;
        try {
            vmlinux = KernelBtf.vmlinux();
        } catch (RuntimeException e) {
            throw new BpfUnsupportedException(backend, Operation.PROG_LOAD, "program \"" + p.kernelName()
                    + "\" needs the kernel's BTF to find '" + name + "', which cannot be read: " + e.getMessage());
        }
        String n = name;
        BtfKind k = kind;
        return vmlinux.find(n, k).map(io.bpf4j.api.btf.BtfType::id).orElseThrow(() ->
                new ObjectFormatException(file, p.section(), p.name(), "the kernel's BTF has no " + k + " '" + n + "'"));
    }
}
