package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Operation;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import io.bpf4j.windows.internal.sys.NativeBinding;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interface names on the system's own {@code iphlpapi.dll} (the Windows CI job), with each binding.
 * On Linux {@link InterfaceIndexTest} covers the same on the stand-in.
 */
class WindowsInterfaceIndexTest {

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void theLoopbackAliasResolvesAndAnUnknownAliasIsRefused(String binding) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        // Not an environment gap: off Windows the stand-in class runs these checks.
        Assumptions.assumeTrue(windows, "runs on Windows' iphlpapi.dll; InterfaceIndexTest covers the stand-in");
        LibraryLocator.Result lib = LibraryLocator.locate(System.getProperty("os.name"),
                System.getProperty(LibraryLocator.PROPERTY), System.getenv("PATH"));
        assertNotNull(lib.library(), lib.reason());
        NativeBinding nb = NativeBinding.load(lib.library(), null);
        if (nb.api() == null) throw new AssertionError(nb.reason(), nb.cause());
        IpHelperBinding ip = IpHelperBinding.configured(System.getProperty("os.name"), null, System.getenv("SystemRoot"), binding);
        if (ip.api() == null) throw new AssertionError(ip.reason(), ip.cause());
        WinBackend w = new WinBackend(nb.api(), null, ip);
        try {
            assertTrue(w.capabilities().operation(Operation.INTERFACE_INDEX).supported(),
                    () -> w.capabilities().operation(Operation.INTERFACE_INDEX).reason());
            // Every Windows host has the loopback pseudo-interface under this alias.
            int index = w.interfaceIndex("Loopback Pseudo-Interface 1");
            assertTrue(index > 0, "index " + index);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex("bpf4j-none0"));
            assertTrue(e.getMessage().startsWith("name: no interface 'bpf4j-none0'"), e.getMessage());
            assertEquals(index, w.interfaceIndex("Loopback Pseudo-Interface 1"), "the same answer twice");
        } finally {
            w.close();
        }
    }
}
