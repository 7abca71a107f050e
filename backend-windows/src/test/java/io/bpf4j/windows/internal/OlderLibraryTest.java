package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.windows.StandIn;
import io.bpf4j.windows.WindowsBpf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in built as an older ebpfapi.dll (no batches, pin listing, canonicalization,
 * attach by descriptors or native load): those operations are unsupported with the release
 * that adds them, resolved lazily, and everything else still works.
 */
class OlderLibraryTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    @Test
    void missingExportsAreUnsupportedAndTheRestWorks() {
        WinBackend w = StandInBackendTest.open(StandIn.MINIMAL, null, "ffm");
        assertFalse(w.capabilities().operation(Operation.MAP_LOOKUP_BATCH).supported());
        assertTrue(w.capabilities().operation(Operation.MAP_LOOKUP_BATCH).reason().contains("bpf_map_lookup_batch"));
        int fd = w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        try {
            w.mapUpdateElem(fd, StandInBackendTest.u32(1), StandInBackendTest.u64(5), UpdateFlags.ANY);
            assertThrows(BpfUnsupportedException.class, () -> w.mapUpdateBatch(fd, new byte[4], new byte[8], 1, 0, 0));
            BpfUnsupportedException canon = assertThrows(BpfUnsupportedException.class, () -> w.canonicalizePinPath("x"));
            assertTrue(canon.reason().contains("1.0.0-rc1"), canon.reason());
            assertThrows(BpfUnsupportedException.class, () -> w.nextPinnedObject("", WindowsBpf.ObjectKind.ANY));
            assertThrows(BpfUnsupportedException.class, () -> w.programAttach(fd, null, null));
            assertThrows(BpfUnsupportedException.class, () -> w.loadNative("/x.sys"));
            assertEquals(WindowsBpf.ObjectKind.MAP, w.objectKind(fd));
        } finally {
            w.closeFd(fd);
        }
    }
}
