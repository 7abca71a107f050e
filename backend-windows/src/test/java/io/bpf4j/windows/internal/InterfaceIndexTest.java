package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.windows.StandIn;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interface names through the IP helper API, on the iphlpapi.dll stand-in
 * ({@code src/test/c/iphlpapi}) with each binding. eBPF for Windows plays no part in a name
 * (efW only takes the index), so the ebpfapi side is a binding that answers the capability probes
 * and has every export.
 */
class InterfaceIndexTest {

    /** An ebpfapi binding with every export, answering the probes, for a backend whose iphlpapi side is under test. */
    private static EbpfApi efw() {
        return (EbpfApi) Proxy.newProxyInstance(InterfaceIndexTest.class.getClassLoader(), new Class<?>[] {EbpfApi.class},
                (p, m, a) -> switch (m.getName()) {
                    case "has" -> true;
                    case "name" -> "fake";
                    case "lastErrorSource" -> "none";
                    case "libbpfNumPossibleCpus" -> 4;
                    default -> m.getReturnType() == long.class ? 1L : m.getReturnType() == void.class ? null
                            : m.getReturnType() == boolean.class ? (Object) false : (Object) 3;
                });
    }

    private static IpHelperBinding bound(boolean complete, String binding) {
        Path lib = StandIn.ipHelper(complete);
        return IpHelperBinding.configured("Linux", lib.toString(), null, binding);
    }

    private static WinBackend backend(String binding) {
        IpHelperBinding b = bound(true, binding);
        if (b.api() == null) throw new AssertionError(b.reason(), b.cause());
        // The binding asked for is the one that runs, so both paths are covered.
        assertEquals(binding.equals("ffm") ? "FfmIpHelperApi" : "JnaIpHelperApi", b.api().getClass().getSimpleName());
        return new WinBackend(efw(), null, b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aliasesAndNdisNamesResolveToTheTablesIndex(String binding) {
        WinBackend w = backend(binding);
        assertEquals(7, w.interfaceIndex("Ethernet"));
        assertEquals(7, w.interfaceIndex("ethernet_32768"), "the NDIS name of the same interface");
        assertEquals(1, w.interfaceIndex("Loopback Pseudo-Interface 1"));
        assertEquals(1, w.interfaceIndex("loopback_0"));
        assertEquals(45, w.interfaceIndex("vEthernet (WSL)"));
        assertEquals(12, w.interfaceIndex("Wi-Fi"));
        assertEquals(9, w.interfaceIndex("Connexion au réseau local"), "a non-ASCII alias travels as UTF-16LE");
        assertEquals(1, w.interfaceIndex("lo"), "the stand-in's loopback for the shared suites");
        assertTrue(w.capabilities().operation(Operation.INTERFACE_INDEX).supported());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void aNameNoInterfaceHasIsAnIllegalArgumentNamingIt(String binding) {
        WinBackend w = backend(binding);
        // An alias, a well-formed NDIS name of no interface (a LUID without an index), a malformed
        // NDIS name, a prefix of a real alias, and a non-ASCII name (no NDIS name at all).
        for (String name : new String[] {"Ethernet 9", "ethernet_99", "ethernet_x", "Ether", "Réseau inconnu"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex(name), name);
            assertTrue(e.getMessage().startsWith("name: no interface '" + name + "'"), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void anotherWindowsErrorIsABpfExceptionWithTheError(String binding) {
        WinBackend w = backend(binding);
        // The stand-in answers this alias with ERROR_NOT_ENOUGH_MEMORY (8).
        BpfException e = assertThrows(BpfException.class, () -> w.interfaceIndex("standin-out-of-memory"));
        assertEquals(Operation.INTERFACE_INDEX, e.operation());
        assertEquals("windows", e.backend());
        assertEquals(8, e.rawErrno());
        assertEquals(Errno.UNKNOWN, e.errno());
        assertTrue(e.getMessage().contains("ConvertInterfaceAliasToLuid returned Win32 error 8"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void badNamesNeverReachTheLibrary(String binding) {
        WinBackend w = backend(binding);
        Path lib = StandIn.ipHelper(true);
        int before = StandIn.ipHelperCalls(lib);
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex(null));
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex(""));
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex("Ether\0net"));
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex("e".repeat(256)));
        assertEquals(before, StandIn.ipHelperCalls(lib), "no call reached iphlpapi");
        w.interfaceIndex("Ethernet");
        assertEquals(before + 2, StandIn.ipHelperCalls(lib), "the counter counts: alias, then LUID to index");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void withoutAnExportInterfaceNamesAreUnsupportedWithTheReason(String binding) {
        IpHelperBinding b = bound(false, binding);
        assertNull(b.api());
        assertTrue(b.reason().contains("ConvertInterfaceNameToLuidA"), b.reason());
        unsupportedWithoutANativeCall(new WinBackend(efw(), null, b), b.reason());
        assertEquals(0, StandIn.ipHelperCalls(StandIn.ipHelper(false)), "the incomplete library was never called");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void withoutTheLibraryInterfaceNamesAreUnsupportedWithTheReason(boolean propertySet) {
        IpHelperBinding b = propertySet
                ? IpHelperBinding.configured("Linux", "/nonexistent/iphlpapi.dll", null, null)
                : IpHelperBinding.configured("Linux", null, null, null);
        assertNull(b.api());
        assertTrue(b.reason().startsWith("interface names need"), b.reason());
        assertTrue(b.reason().contains(propertySet ? "/nonexistent/iphlpapi.dll is not a file" : "this is not Windows"), b.reason());
        unsupportedWithoutANativeCall(new WinBackend(efw(), null, b), b.reason());
    }

    private static void unsupportedWithoutANativeCall(WinBackend w, String reason) {
        Support s = w.capabilities().operation(Operation.INTERFACE_INDEX);
        assertFalse(s.supported());
        assertEquals(reason, s.reason());
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> w.interfaceIndex("Ethernet"));
        assertEquals(Operation.INTERFACE_INDEX, e.operation());
        assertEquals(s.reason(), e.reason(), "the call says what the capability report says");
        assertThrows(IllegalArgumentException.class, () -> w.interfaceIndex(""), "the name is checked first");
    }
}
