package io.bpf4j.windows;

import io.bpf4j.api.Availability;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.windows.internal.LibraryLocator;

/**
 * The eBPF for Windows backend's provider. It is available where {@code ebpfapi.dll} can be
 * found and bound; elsewhere it says why, so {@code Bpf.open("windows")} fails with that reason.
 */
public final class WindowsProvider implements BpfProvider {
    private volatile Availability availability;

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
            a = check();
            availability = a;
        }
        return a;
    }

    private static Availability check() {
        LibraryLocator.Result r = LibraryLocator.locate(System.getProperty("os.name"),
                System.getProperty(LibraryLocator.PROPERTY), System.getenv("PATH"));
        if (r.library() == null) return Availability.no(r.reason());
        return Availability.no("found " + r.library() + ", but the ebpfapi binding is not implemented in this"
                + " version of bpf4j");
    }

    @Override
    public Bpf open() {
        Availability a = availability();
        throw new BackendUnavailableException("backend windows is unavailable: " + a.reason(), a.cause());
    }
}
