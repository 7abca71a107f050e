package io.bpf4j.api.object;

import static io.bpf4j.api.asm.Opcodes.PSEUDO_BTF_ID;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_KFUNC_CALL;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfKind;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.CoreRelocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code .ksyms} externs resolved against the kernel, as libbpf's
 * {@code bpf_object__resolve_ksyms_btf_id()} and {@code bpf_object__relocate_data()} do them:
 *
 * <ul>
 *   <li>a kfunc is the kernel's FUNC of that name (vmlinux's, else a module's) whose prototype is
 *       compatible with the declaration; a call becomes {@code BPF_PSEUDO_KFUNC_CALL} with its
 *       BTF id and, for a module, the index of the module's BTF in the program's
 *       {@code fd_array};</li>
 *   <li>a typed variable is the kernel's VAR of that name with a compatible type; its
 *       {@code ld_imm64} becomes {@code BPF_PSEUDO_BTF_ID} with its id and its module's BTF
 *       descriptor (a kfunc's address is taken the same way, for {@code bpf_ksym_exists});</li>
 *   <li>a typeless variable ({@code extern const void x __ksym}) is its address from
 *       {@code /proc/kallsyms}, loaded as a plain constant;</li>
 *   <li>a {@code __weak} extern the kernel lacks is 0, and a call to such a kfunc becomes a call
 *       to the helper {@code 2002000000 + n}, which the verifier rejects only where the program
 *       can reach it (libbpf's {@code poison_kfunc_call()}).</li>
 * </ul>
 *
 * A strong extern the kernel lacks, or a backend with no kernel BTF, is a
 * {@link BpfUnsupportedException} naming the extern.
 */
final class Ksyms {
    /** libbpf's {@code POISON_CALL_KFUNC_BASE}. */
    static final int POISON_CALL_KFUNC_BASE = 2002000000;

    /** A resolution: the kernel's BTF id and module, or an address; {@code found} false for a weak miss. */
    private record Resolved(boolean found, int btfId, KernelView.Module module, long address) {
    }

    private final String file;
    private final Btf local;
    private final Externs externs;
    private final KernelView kernel;
    private final Map<String, Resolved> resolved = new HashMap<>();
    /** Module BTF descriptors by their {@code fd_array} index; index 0 stands for vmlinux. */
    private final List<KernelView.Module> fdArray = new ArrayList<>();

    Ksyms(ObjectSpec spec, KernelView kernel) {
        this.file = spec.file();
        this.local = spec.btf().orElse(null);
        this.externs = spec.externs();
        this.kernel = kernel;
        fdArray.add(null);
    }

    /** Resolves a program's externs, before anything is created, so a missing one fails the load early. */
    void resolve(ObjectProgram p) {
        for (ObjectProgram.KsymRef r : p.ksymRefs()) {
            if (!resolved.containsKey(r.name())) resolved.put(r.name(), find(p, externs.get(r.name())));
        }
    }

    private Resolved find(ObjectProgram p, Externs.Extern e) {
        if (!e.func() && e.typeId() == 0) {
            long addr = kernel.kallsyms(e.name(), p.kernelName());
            if (addr != 0 || e.weak()) return new Resolved(addr != 0, 0, null, addr);
            throw missing(p, e, "/proc/kallsyms has no such symbol");
        }
        Btf vmlinux = kernel.vmlinux();
        if (vmlinux == null) {
            if (e.weak()) return new Resolved(false, 0, null, 0);
            throw missing(p, e, kernel.whyNoBtf());
        }
        BtfKind kind = e.func() ? BtfKind.FUNC : BtfKind.VAR;
        int id = idOf(vmlinux, e.name(), kind, 1);
        KernelView.Module module = null;
        Btf in = vmlinux;
        if (id == 0) {
            for (KernelView.Module m : kernel.modules()) {
                id = idOf(m.btf(), e.name(), kind, m.btf().firstId());
                if (id != 0) {
                    module = m;
                    in = m.btf();
                    break;
                }
            }
        }
        if (id == 0) {
            if (e.weak()) return new Resolved(false, 0, null, 0);
            throw missing(p, e, "neither vmlinux's BTF nor a loaded module's has a " + kind + " of that name");
        }
        BtfType t = in.type(id);
        int theirs = t instanceof BtfType.Func f ? f.typeId() : in.resolve(((BtfType.Var) t).typeId());
        if (!CoreRelocator.typesCompatible(local, e.typeId(), in, theirs)) {
            throw new ObjectFormatException(file, Externs.KSYMS, e.name(), "the object declares it as " + describe(local, e.typeId())
                    + ", the kernel's " + (module == null ? "vmlinux" : "module " + module.name()) + " BTF has ["
                    + id + "] " + describe(in, theirs) + ", which is not compatible");
        }
        return new Resolved(true, id, module, 0);
    }

    private static int idOf(Btf btf, String name, BtfKind kind, int from) {
        for (int id : btf.ids(name)) {
            if (id >= from && btf.kind(id) == kind) return id;
        }
        return 0;
    }

    private static String describe(Btf btf, int id) {
        try {
            return io.bpf4j.api.btf.BtfDump.declaration(btf, id, "");
        } catch (RuntimeException e) {
            return btf.kind(id) + " [" + id + "]";
        }
    }

    private BpfUnsupportedException missing(ObjectProgram p, Externs.Extern e, String why) {
        String what = e.func() ? "kfunc" : e.typeId() == 0 ? "kernel symbol" : "kernel variable";
        return new BpfUnsupportedException(kernel.backend(), Operation.PROG_LOAD, "program \"" + p.kernelName() + "\" ("
                + file + ") needs " + what + " '" + e.name() + "' (__ksym, not __weak): " + why);
    }

    /** Puts the resolved externs into a program's instructions. */
    void patch(ObjectProgram p, long[] insns) {
        for (ObjectProgram.KsymRef r : p.ksymRefs()) {
            Resolved x = resolved.get(r.name());
            int at = r.insn();
            long w = insns[at];
            if (r.call()) {
                if (x.found()) {
                    int off = x.module() == null ? 0 : fdIndex(x.module());
                    insns[at] = (w & 0xff) | (long) PSEUDO_KFUNC_CALL << 12 | (off & 0xffffL) << 16
                            | (x.btfId() & 0xffffffffL) << 32;
                } else {
                    insns[at] = 0x85L | (long) (POISON_CALL_KFUNC_BASE + extIndex(r.name())) << 32;
                }
                continue;
            }
            long lo;
            long hi;
            int src;
            if (x.found() && x.btfId() != 0) {
                src = PSEUDO_BTF_ID;
                lo = x.btfId();
                hi = x.module() == null ? 0 : x.module().object().fd();
            } else {
                src = 0;
                lo = x.address() & 0xffffffffL;
                hi = x.address() >>> 32;
            }
            insns[at] = (w & 0x0fffL) | (long) src << 12 | (lo & 0xffffffffL) << 32;
            insns[at + 1] = (insns[at + 1] & 0xffffffffL) | (hi & 0xffffffffL) << 32;
        }
    }

    /** Whether a program calls a module's kfunc, and so needs the {@code fd_array}. */
    int[] fdArray(ObjectProgram p) {
        boolean any = false;
        for (ObjectProgram.KsymRef r : p.ksymRefs()) {
            Resolved x = resolved.get(r.name());
            any |= r.call() && x.found() && x.module() != null;
        }
        if (!any) return null;
        int[] fds = new int[fdArray.size()];
        for (int i = 1; i < fds.length; i++) fds[i] = fdArray.get(i).object().fd();
        return fds;
    }

    private int fdIndex(KernelView.Module m) {
        int i = fdArray.indexOf(m);
        if (i > 0) return i;
        if (fdArray.size() > Short.MAX_VALUE) throw new IllegalStateException("more than " + Short.MAX_VALUE + " module BTFs");
        fdArray.add(m);
        return fdArray.size() - 1;
    }

    /** The extern's index among the object's, as libbpf numbers the poisoned calls. */
    private int extIndex(String name) {
        int i = 0;
        for (Externs.Extern e : externs.ksyms()) {
            if (e.name().equals(name)) return externs.kconfig().size() + i;
            i++;
        }
        return 0;
    }
}
