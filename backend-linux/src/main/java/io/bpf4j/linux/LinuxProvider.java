package io.bpf4j.linux;

import io.bpf4j.api.Availability;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.linux.internal.ProcessCaps;
import io.bpf4j.linux.internal.sys.Arch;
import io.bpf4j.linux.internal.sys.NativeBinding;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.util.Locale;

/**
 * The {@code linux} backend's provider: priority 100, a kernel backend. The constructor does
 * nothing; {@link #availability()} checks the OS, the architecture, the native binding and a
 * harmless {@code bpf()} call once, and explains a failure in words a user can act on.
 */
public final class LinuxProvider implements BpfProvider {
    private static final int ENOSYS = 38;
    private static final int EPERM = 1;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int ENOENT = 2;

    private volatile Availability availability;
    private volatile Syscalls syscalls;

    /** Creates the provider; cheap and free of side effects. */
    public LinuxProvider() {
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isKernel() {
        return true;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            synchronized (this) {
                a = availability;
                if (a == null) availability = a = check();
            }
        }
        return a;
    }

    private Availability check() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) return Availability.no("not Linux (os.name=" + os + ")");
        String arch = System.getProperty("os.arch", "");
        if (Arch.bpfSyscallNumber(arch) < 0) {
            return Availability.no("unsupported architecture os.arch=" + arch + " (supported: amd64, aarch64, riscv64)");
        }
        NativeBinding b = NativeBinding.load();
        if (b.syscalls() == null) return Availability.no("no native binding: " + b.reason(), b.cause());
        Availability a = probe(b.syscalls());
        if (a.available()) syscalls = b.syscalls();
        return a;
    }

    /** Whether bpf() works through a binding: the last step of {@link #availability()}. */
    static Availability probe(Syscalls s) {
        return probe(s, ProcessCaps.current());
    }

    /**
     * Whether bpf() works, with the EPERM explained by the given capabilities.
     *
     * <p>BPF_PROG_GET_NEXT_ID from 0 touches nothing: it answers an id or ENOENT when bpf()
     * works and ENOSYS when the kernel has no bpf() at all. Its EPERM is not conclusive: walking
     * ids needs CAP_SYS_ADMIN, which a process with CAP_BPF may lack, so EPERM is asked again
     * with what a backend really needs, creating a one-element array map (CAP_BPF).
     */
    static Availability probe(Syscalls s, ProcessCaps caps) {
        java.nio.ByteBuffer attr = io.bpf4j.linux.internal.uapi.BpfAttr.allocate();
        long rc = s.bpf(io.bpf4j.linux.internal.uapi.LinuxUapi.cmd(Operation.PROG_GET_NEXT_ID), s.address(attr),
                io.bpf4j.linux.internal.uapi.BpfAttr.SIZE);
        if (rc == -ENOSYS) return Availability.no("bpf() denied: ENOSYS; the kernel was built without CONFIG_BPF_SYSCALL");
        if (rc == -EPERM) {
            attr = io.bpf4j.linux.internal.uapi.BpfAttr.allocate();
            io.bpf4j.linux.internal.uapi.MapAttrs.create(attr, MapSpec.of(MapType.ARRAY, 4, 4, 1));
            long fd = s.bpf(io.bpf4j.linux.internal.uapi.LinuxUapi.cmd(Operation.MAP_CREATE), s.address(attr),
                    io.bpf4j.linux.internal.uapi.BpfAttr.SIZE);
            if (fd >= 0) {
                s.close((int) fd);
                return Availability.yes();
            }
            if (fd == -EPERM) return Availability.no("bpf() denied: " + caps.eperm("BPF_MAP_CREATE", ProcessCaps.Need.BPF));
            rc = fd;
        }
        if (rc < 0 && rc != -ENOENT && rc != -EBADF && rc != -EINVAL) {
            return Availability.no("bpf() failed: errno " + -rc);
        }
        return Availability.yes();
    }

    @Override
    public Bpf open() {
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException(name() + ": " + a.reason(), a.cause());
        return new LinuxBpf(syscalls);
    }
}
