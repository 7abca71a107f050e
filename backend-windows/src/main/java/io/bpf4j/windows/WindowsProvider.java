package io.bpf4j.windows;

import io.bpf4j.api.Availability;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.windows.internal.LibraryLocator;
import io.bpf4j.windows.internal.WinBackend;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import io.bpf4j.windows.internal.sys.NativeBinding;
import java.util.function.Supplier;

/**
 * The eBPF for Windows backend's provider. It is available where {@code ebpfapi.dll} can be
 * found and bound; elsewhere it says why, so {@code Bpf.open("windows")} fails with that reason.
 * On other systems it is available only through {@code -Dbpf4j.windows.library=PATH} naming a
 * library with the same ABI (the stand-in the ABI tests build). The backend it opens implements
 * {@link WindowsBpf} for what eBPF for Windows offers beyond {@link Bpf}. Interface names are
 * resolved through the system's {@code iphlpapi.dll}, or the file {@code -Dbpf4j.windows.iphlpapi=PATH}
 * names (a stand-in on another OS); without it they are unsupported and indexes still work.
 */
public final class WindowsProvider implements BpfProvider {
    /** System property choosing the exports that carry the shared commands: {@code syscall} or {@code libbpf}. */
    public static final String CALLS_PROPERTY = "bpf4j.windows.calls";

    private volatile Availability availability;
    private volatile Supplier<Bpf> backendFactory;

    /** Creates the provider; cheap and without side effects, as the service loader expects. */
    public WindowsProvider() {
    }

    @Override
    public String name() {
        return "windows";
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
                if (a != null) return a;
                a = check();
                availability = a;
                return a;
            }
        }
        return a;
    }

    private Availability check() {
        LibraryLocator.Result r = LibraryLocator.locate(System.getProperty("os.name"),
                System.getProperty(LibraryLocator.PROPERTY), System.getenv("PATH"));
        if (r.library() == null) return Availability.no(r.reason());
        NativeBinding nb = NativeBinding.load(r.library(), System.getProperty("bpf4j.native"));
        if (nb.api() == null) return Availability.no("found " + r.library() + ", but " + nb.reason(), nb.cause());
        try {
            // Bound once here, like ebpfapi.dll: a missing iphlpapi.dll only makes interface names unsupported.
            IpHelperBinding ip = IpHelperBinding.system();
            backendFactory = () -> new WinBackend(nb.api(), System.getProperty(CALLS_PROPERTY), ip);
            backendFactory.get();   // binds the required exports once, so a broken library says why here
            return Availability.yes();
        } catch (IllegalStateException | IllegalArgumentException e) {
            backendFactory = null;
            return Availability.no("found " + r.library() + ", but it cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public Bpf open() {
        Availability a = availability();
        if (!a.available()) throw new BackendUnavailableException("backend windows is unavailable: " + a.reason(), a.cause());
        return backendFactory.get();
    }
}
