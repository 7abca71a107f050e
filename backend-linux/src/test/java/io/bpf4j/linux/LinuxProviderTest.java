package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Availability;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfProvider;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The provider: found by ServiceLoader, cheap, explains itself, opens a working backend. */
@ExtendWith(LeakCheck.class)
class LinuxProviderTest {

    @Test
    void foundOnTheClassPathWithItsProperties() {
        BpfProvider found = null;
        for (BpfProvider p : ServiceLoader.load(BpfProvider.class)) {
            if (p instanceof LinuxProvider) found = p;
        }
        assertTrue(found != null, "META-INF/services names LinuxProvider");
        assertEquals("linux", found.name());
        assertEquals(100, found.priority());
        assertTrue(found.isKernel());
        Availability a = found.availability();
        assertSame(a, found.availability(), "computed once");
        if (!Host.root()) {
            assertTrue(a.available() || a.reason().contains("EPERM"), a.reason());
        }
    }

    @Test
    void opensByName() {
        RealKernel.open().close(); // skips without root (fails in CI), fails when root cannot use it
        try (Bpf bpf = Bpf.open("linux")) {
            assertEquals("linux", bpf.name());
            int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
            bpf.closeFd(m);
        }
    }
}
