package io.bpf4j.windows.internal;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.windows.internal.sys.IpHelperApi;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import java.nio.charset.StandardCharsets;

/**
 * Interface names to indexes through the IP helper API ({@code netioapi.h}). Windows users name an
 * interface by its alias ("Ethernet", "vEthernet (WSL)", what {@code Get-NetAdapter} and
 * {@code netsh} show), so the alias is tried first; a name that is no alias is then tried as the
 * interface's NDIS name ("ethernet_32768"), the form {@code ConvertInterfaceLuidToNameA} gives.
 * Either yields a {@code NET_LUID}, which {@code ConvertInterfaceLuidToIndex} turns into the
 * {@code NET_IFINDEX} that efW's XDP attach takes.
 */
final class Interfaces {
    /** {@code NO_ERROR} (winerror.h). */
    static final int NO_ERROR = 0;
    /** {@code ERROR_FILE_NOT_FOUND} (winerror.h). */
    static final int ERROR_FILE_NOT_FOUND = 2;
    /**
     * {@code ERROR_INVALID_PARAMETER} (winerror.h): what the three functions return for an alias,
     * name or LUID no interface has (their documentation, "the InterfaceAlias parameter was
     * invalid"). The other reason they give it, a NULL argument, cannot happen here: the strings
     * and out-parameters are always the binding's own memory.
     */
    static final int ERROR_INVALID_PARAMETER = 87;
    /** {@code ERROR_INVALID_NAME} (winerror.h): ConvertInterfaceNameToLuidA's answer to a name that is no NDIS name. */
    static final int ERROR_INVALID_NAME = 123;
    /** {@code ERROR_NOT_FOUND} (winerror.h). */
    static final int ERROR_NOT_FOUND = 1168;

    private final IpHelperBinding binding;
    private final Support support;

    Interfaces(IpHelperBinding binding) {
        this.binding = binding;
        this.support = binding.api() != null ? Support.YES : Support.no(binding.reason());
    }

    /** Whether names can be resolved; the capability report's entry for INTERFACE_INDEX. */
    Support support() {
        return support;
    }

    /**
     * The index of the interface with this alias or NDIS name; the name was checked by the caller.
     *
     * @throws IllegalArgumentException when no interface has the name
     * @throws BpfException when the IP helper API fails otherwise
     */
    int index(String name) {
        IpHelperApi api = binding.api();
        if (api == null) throw Fail.unsupported(Operation.INTERFACE_INDEX, support.reason());
        long[] luid = new long[1];
        int r = api.convertInterfaceAliasToLuid(name, luid);
        String found = "ConvertInterfaceAliasToLuid";
        if (notFound(r)) {
            // NDIS names are ASCII ("<iftype>_<n>"); anything else was an alias no interface has.
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name)) throw missing(name);
            r = api.convertInterfaceNameToLuidA(name.getBytes(StandardCharsets.US_ASCII), luid);
            found = "ConvertInterfaceNameToLuidA";
            if (notFound(r)) throw missing(name);
        }
        if (r != NO_ERROR) throw failure(name, found, r);
        int[] index = new int[1];
        r = api.convertInterfaceLuidToIndex(luid[0], index);
        // A LUID no interface has: an NDIS name is an interface type and a NetLuidIndex, so a
        // well-formed name may convert to a LUID whether or not such an interface exists.
        if (notFound(r)) throw missing(name);
        if (r != NO_ERROR) throw failure(name, "ConvertInterfaceLuidToIndex", r);
        return index[0];
    }

    /** The answers that mean "no such interface"; anything else is a failure to report. */
    private static boolean notFound(int r) {
        return r == ERROR_INVALID_PARAMETER || r == ERROR_INVALID_NAME || r == ERROR_FILE_NOT_FOUND || r == ERROR_NOT_FOUND;
    }

    private static IllegalArgumentException missing(String name) {
        return new IllegalArgumentException("name: no interface '" + name + "' on this system (neither an interface alias,"
                + " as Get-NetAdapter shows, nor an NDIS interface name)");
    }

    private static BpfException failure(String name, String call, int win32) {
        return new BpfException(Fail.BACKEND, Operation.INTERFACE_INDEX, "interface '" + name + "'", Errno.UNKNOWN, win32,
                call + " returned Win32 error " + win32);
    }
}
