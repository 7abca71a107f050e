package io.bpf4j.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.windows.internal.LibraryLocator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryLocatorTest {
    @Test
    void notWindowsSaysSoAndNamesTheProperty() {
        LibraryLocator.Result r = LibraryLocator.locate("Linux", null, "/usr/bin");
        assertNull(r.library());
        assertTrue(r.reason().startsWith("ebpfapi.dll not found"), r.reason());
        assertTrue(r.reason().contains("os.name=Linux"), r.reason());
        assertTrue(r.reason().contains("-Dbpf4j.windows.library"), r.reason());
    }

    @Test
    void propertyPointsAtAFile(@TempDir Path dir) throws Exception {
        Path lib = Files.createFile(dir.resolve("libstand-in.so"));
        assertEquals(lib, LibraryLocator.locate("Linux", lib.toString(), null).library());
        LibraryLocator.Result missing = LibraryLocator.locate("Linux", dir.resolve("nope.so").toString(), null);
        assertNull(missing.library());
        assertTrue(missing.reason().contains("is not a file"), missing.reason());
    }

    @Test
    void windowsSearchesThePath(@TempDir Path dir) throws Exception {
        Path lib = Files.createFile(dir.resolve("ebpfapi.dll"));
        assertEquals(lib, LibraryLocator.locate("Windows 11", null, "C:\\nowhere;" + dir).library());
        LibraryLocator.Result none = LibraryLocator.locate("Windows Server 2022", null, "C:\\nowhere");
        assertNull(none.library());
        assertTrue(none.reason().contains("install eBPF for Windows"), none.reason());
    }

    @Test
    void providerIsUnavailableHereWithTheReason() {
        WindowsProvider p = new WindowsProvider();
        assertEquals("windows", p.name());
        assertTrue(p.isKernel());
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertTrue(p.availability().reason().startsWith("ebpfapi.dll not found"), p.availability().reason());
        }
    }
}
