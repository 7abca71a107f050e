package io.bpf4j.windows;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.windows.internal.LibraryLocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The provider: unavailable on Linux without the property, available on the stand-in with it. */
class WindowsProviderTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    @Test
    void availableOnTheStandInThroughTheProperty() {
        String lib = StandIn.library(StandIn.FULL).toString();
        WindowsProvider provider = new WindowsProvider();
        System.setProperty(LibraryLocator.PROPERTY, lib);
        Availability a;
        try {
            a = provider.availability();
        } finally {
            System.clearProperty(LibraryLocator.PROPERTY);
        }
        assertTrue(a.available(), () -> String.valueOf(a.reason()));
        try (Bpf bpf = provider.open()) {
            assertInstanceOf(WindowsBpf.class, bpf);
            int fd = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
            bpf.closeFd(fd);
        }
    }

    @Test
    void aLibraryThatIsNotEbpfapiSaysWhy() {
        WindowsProvider provider = new WindowsProvider();
        System.setProperty(LibraryLocator.PROPERTY, "/lib/x86_64-linux-gnu/libc.so.6");
        try {
            Availability a = provider.availability();
            assertFalse(a.available());
            assertTrue(a.reason().contains("ebpf_close_fd"), a.reason());
        } finally {
            System.clearProperty(LibraryLocator.PROPERTY);
        }
    }
}
