package io.bpf4j.api.object;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfBtf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.KernelBtf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the loader knows of the kernel behind a backend, found when first needed and kept for
 * one load.
 *
 * <p>The kernel's BTF is the backend's: for the running Linux kernel its
 * {@code /sys/kernel/btf/vmlinux} (parsed once per process, readable without privilege, as
 * libbpf reads it), else the BTF object the backend lists as the kernel's own
 * ({@code vmlinux}). Module BTF objects are the other kernel BTF objects the backend lists,
 * kept open for {@code attach_btf_obj_fd} and kfunc {@code fd_array}s until the load is done. A
 * backend that lists none, such as the simulator, has no kernel BTF.
 *
 * <p>The kernel's configuration, version and symbol table ({@code /proc/config.gz},
 * {@code uname -r}, {@code /proc/kallsyms}) are read only when the backend is the running
 * Linux kernel: they describe this machine's kernel, which no other backend is.
 */
final class KernelView implements AutoCloseable {
    /** The name of the backend that drives the running Linux kernel. */
    static final String LINUX = "linux";

    /** A module's BTF, open. */
    record Module(String name, Btf btf, BpfBtf object) {
    }

    private final Bpf bpf;
    private final LoadOptions opts;
    private boolean looked;
    private Btf vmlinux;
    private String whyNone;
    private List<Module> modules;
    private Map<String, Long> kallsyms;

    KernelView(Bpf bpf, LoadOptions opts) {
        this.bpf = bpf;
        this.opts = opts;
    }

    /** Whether the backend is the running Linux kernel, whose configuration and symbols this machine's files describe. */
    boolean host() {
        return LINUX.equals(bpf.name());
    }

    String backend() {
        return bpf.name();
    }

    /** The kernel's BTF, or null (then {@link #whyNoBtf()} says why). */
    Btf vmlinux() {
        if (!looked) {
            looked = true;
            find();
        }
        return vmlinux;
    }

    String whyNoBtf() {
        vmlinux();
        return whyNone;
    }

    /** The BTF CO-RE relocations are resolved against: the options' or the kernel's; null when neither exists. */
    Btf coreTarget() {
        return opts.targetBtf().orElseGet(this::vmlinux);
    }

    private void find() {
        String sysfs = null;
        if (host()) {
            // As libbpf: the running kernel's BTF is its sysfs file, which needs no privilege to read.
            try {
                vmlinux = KernelBtf.vmlinux();
                return;
            } catch (UncheckedIOException e) {
                sysfs = e.getMessage();
            }
        }
        try {
            for (int id = bpf.btfGetNextId(0); id != 0; id = bpf.btfGetNextId(id)) {
                BpfBtf obj;
                try {
                    obj = BpfBtf.fromId(bpf, id);
                } catch (BpfException gone) {
                    continue; // freed between next-id and fd-by-id
                }
                try {
                    BtfInfo info = obj.info();
                    if (!info.kernel() || !info.name().equals("vmlinux")) continue;
                    vmlinux = obj.parse();
                    return;
                } finally {
                    obj.close();
                }
            }
            whyNone = sysfs != null ? sysfs : "the " + bpf.name() + " backend publishes no kernel BTF (no vmlinux BTF object)";
        } catch (BpfException e) {
            whyNone = (sysfs != null ? sysfs + "; " : "") + "the " + bpf.name() + " backend cannot list its BTF objects: "
                    + e.getMessage();
        }
    }

    /** The modules' BTF, listed once; empty without kernel BTF. */
    List<Module> modules() {
        if (modules != null) return modules;
        modules = new ArrayList<>();
        Btf base = vmlinux();
        if (base == null) return modules;
        for (int id = bpf.btfGetNextId(0); id != 0; id = bpf.btfGetNextId(id)) {
            BpfBtf obj;
            try {
                obj = BpfBtf.fromId(bpf, id);
            } catch (BpfException gone) {
                continue;
            }
            boolean keep = false;
            try {
                BtfInfo info = obj.info();
                if (!info.kernel() || info.name().equals("vmlinux") || info.name().isEmpty()) continue;
                modules.add(new Module(info.name(), obj.parse(base), obj));
                keep = true;
            } finally {
                if (!keep) obj.close();
            }
        }
        return modules;
    }

    /**
     * A kernel symbol's address from {@code /proc/kallsyms}, for typeless {@code __ksym} externs.
     *
     * @return the address, or 0 when the kernel has no such symbol
     * @throws io.bpf4j.api.BpfUnsupportedException when the backend is not the running kernel or
     *     the addresses are hidden
     */
    long kallsyms(String name, String program) {
        if (!host()) {
            throw new io.bpf4j.api.BpfUnsupportedException(bpf.name(), io.bpf4j.api.Operation.PROG_LOAD, "program \""
                    + program + "\" needs the address of kernel symbol '" + name + "', and the " + bpf.name()
                    + " backend is not the running kernel, whose /proc/kallsyms gives it");
        }
        if (kallsyms == null) kallsyms = readKallsyms();
        Long a = kallsyms.get(name);
        if (a != null && a == 0) {
            throw new io.bpf4j.api.BpfUnsupportedException(bpf.name(), io.bpf4j.api.Operation.PROG_LOAD, "program \""
                    + program + "\" needs the address of kernel symbol '" + name + "', which /proc/kallsyms hides"
                    + " (kernel.kptr_restrict, or no CAP_SYSLOG)");
        }
        return a == null ? 0 : a;
    }

    private static Map<String, Long> readKallsyms() {
        Map<String, Long> m = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/kallsyms"), StandardCharsets.US_ASCII)) {
            for (String line; (line = r.readLine()) != null; ) {
                int a = line.indexOf(' ');
                int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
                if (b < 0) continue;
                int e = line.indexOf('\t', b + 1);
                String name = line.substring(b + 1, e < 0 ? line.length() : e);
                // The first of several same-named symbols, as libbpf's kallsyms callback keeps.
                m.putIfAbsent(name, Long.parseUnsignedLong(line.substring(0, a), 16));
            }
        } catch (IOException | NumberFormatException e) {
            throw new UncheckedIOException("reading /proc/kallsyms: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        return m;
    }

    @Override
    public void close() {
        if (modules == null) return;
        for (Module m : modules) m.object().close();
    }
}
