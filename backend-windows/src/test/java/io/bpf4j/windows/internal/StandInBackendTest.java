package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.UpdateFlags;
import io.bpf4j.api.VerifierException;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.windows.StandIn;
import io.bpf4j.windows.WindowsBpf;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.NativeBinding;
import io.bpf4j.windows.internal.uapi.Attr;
import io.bpf4j.windows.internal.uapi.Guids;
import io.bpf4j.windows.internal.uapi.PinPaths;
import io.bpf4j.windows.internal.uapi.WinErrors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole backend, FFM binding included, against the stand-in library: Windows numbers,
 * errno and layouts cross the ABI for real and are served by the Linux kernel. Each check runs
 * in both call modes, so every function of efW's bpf.h is called as well as {@code bpf()}.
 */
class StandInBackendTest {

    static WinBackend open(String variant, String calls, String binding) {
        NativeBinding nb = NativeBinding.load(StandIn.library(variant), binding);
        if (nb.api() == null) throw new AssertionError(nb.reason(), nb.cause());
        return new WinBackend(nb.api(), calls);
    }

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "libbpf"})
    void mapsCrossTheAbiWithWindowsNumbers(String calls) {
        WinBackend w = open(StandIn.FULL, calls, "ffm");
        assertTrue(w.callMode().startsWith(calls), w.callMode());
        int fd = w.mapCreate(MapSpec.of(MapType.LRU_HASH, 4, 8, 16).withName("win_lru"));
        try {
            MapInfo info = w.mapGetInfo(fd);
            assertEquals(MapType.LRU_HASH, info.type());
            assertEquals(8, info.rawType(), "Windows BPF_MAP_TYPE_LRU_HASH, not Linux's 9");
            assertEquals("win_lru", info.name());
            assertTrue(info.id() > 0);
            w.mapUpdateElem(fd, u32(1), u64(11), UpdateFlags.NOEXIST);
            BpfException exists = assertThrows(BpfException.class, () -> w.mapUpdateElem(fd, u32(1), u64(2), UpdateFlags.NOEXIST));
            assertEquals(Errno.EEXIST, exists.errno());
            byte[] v = new byte[8];
            assertTrue(w.mapLookupElem(fd, u32(1), v, 0));
            assertEquals(11, u64(v));
            assertFalse(w.mapLookupElem(fd, u32(2), v, 0));
            byte[] next = new byte[4];
            assertTrue(w.mapGetNextKey(fd, null, next));
            assertArrayEquals(u32(1), next);
            assertFalse(w.mapGetNextKey(fd, u32(1), next));
            assertTrue(w.mapDeleteElem(fd, u32(1)));
            assertFalse(w.mapDeleteElem(fd, u32(1)));
            boolean found = false;
            for (int id = w.mapGetNextId(0); id != 0; id = w.mapGetNextId(id)) found |= id == info.id();
            assertTrue(found, "next id reaches the map");
            int again = w.mapGetFdById(info.id());
            assertEquals(info.id(), w.mapGetInfo(again).id());
            w.closeFd(again);
            int dup = w.dupFd(fd);
            assertNotEquals(fd, dup);
            assertEquals(WindowsBpf.ObjectKind.MAP, w.objectKind(dup));
            w.closeFd(dup);
        } finally {
            w.closeFd(fd);
        }
    }

    @Test
    void windowsRulesAreCheckedBeforeTheCall() {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        BpfUnsupportedException flags = assertThrows(BpfUnsupportedException.class,
                () -> w.mapCreate(MapSpec.of(MapType.LPM_TRIE, 8, 8, 4).withFlags(MapFlags.NO_PREALLOC)));
        assertTrue(flags.reason().startsWith("not in eBPF for Windows: map flags"), flags.reason());
        BpfUnsupportedException type = assertThrows(BpfUnsupportedException.class,
                () -> w.mapCreate(MapSpec.of(MapType.DEVMAP, 4, 4, 1)));
        assertEquals(w.capabilities().mapType(MapType.DEVMAP).reason(), type.reason());
        int fd = w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4));
        try {
            BpfUnsupportedException lock = assertThrows(BpfUnsupportedException.class,
                    () -> w.mapUpdateElem(fd, u32(1), u64(1), UpdateFlags.LOCK));
            assertTrue(lock.reason().contains("BPF_F_LOCK"));
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> w.mapUpdateElem(fd, u32(1), u64(1), 8));
            assertTrue(bad.getMessage().startsWith("flags"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.mapLookupElem(fd, u32(1), new byte[4], 0));
            BpfUnsupportedException freeze = assertThrows(BpfUnsupportedException.class, () -> w.mapFreeze(fd));
            assertEquals(Operation.MAP_FREEZE, freeze.operation());
            assertThrows(IllegalArgumentException.class, () -> w.objPin(fd, "C:\\x"), "a ':' after the prefix");
            assertThrows(IllegalArgumentException.class, () -> w.objPin(fd, "/.."), "above the root");
        } finally {
            w.closeFd(fd);
        }
    }

    /**
     * bpf() sets the last error for an unimplemented command and leaves it alone elsewhere
     * (bpf_syscall.cpp@v1.5.0:403-405): a later -EINVAL finds the old value.
     */
    @Test
    void anUnimplementedCommandLeavesErrorCallNotImplemented() {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        EbpfApi api = w.api;
        ByteBuffer attr = Scratch.direct(Attr.SIZE);
        assertEquals(-22, api.bpf(22 /* BPF_MAP_FREEZE */, api.address(attr), Attr.SIZE));
        assertEquals(WinErrors.ERROR_CALL_NOT_IMPLEMENTED, api.lastError());
        attr.putInt(0, 99);   // an unknown map type: a plain EINVAL, which leaves the last error alone
        assertEquals(-22, api.bpf(Attr.MAP_CREATE, api.address(attr), Attr.SIZE));
        assertEquals(WinErrors.ERROR_CALL_NOT_IMPLEMENTED, api.lastError(), "stale, as on Windows");
        api.clearLastError();
        assertEquals(-22, api.bpf(Attr.MAP_CREATE, api.address(attr), Attr.SIZE));
        assertEquals(0, api.lastError(), "cleared before the call");
        attr.putInt(0, 2);
        attr.putInt(4, 4);
        attr.putInt(8, 4);
        attr.putInt(12, 1);
        attr.put(100, (byte) 1);   // past the 48-byte MAP_CREATE struct: must be zero
        assertEquals(-22, api.bpf(Attr.MAP_CREATE, api.address(attr), Attr.SIZE));
    }

    /** bpf()'s info command fills Linux-prefix views with Windows numbers (bpf_syscall.cpp@Release-v0.21.0:100-168). */
    @Test
    void bpfInfoFillsALinuxPrefixViewWithWindowsNumbers() {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        EbpfApi api = w.api;
        int fd = w.mapCreate(MapSpec.of(MapType.QUEUE, 0, 8, 4).withName("a_queue"));
        try {
            ByteBuffer info = Scratch.direct(88);
            ByteBuffer attr = Scratch.direct(Attr.SIZE);
            attr.putInt(0, fd).putInt(4, 88).putLong(8, api.address(info));
            assertEquals(0, api.bpf(Attr.OBJ_GET_INFO_BY_FD, api.address(attr), Attr.SIZE));
            assertEquals(10, info.getInt(0), "type: Windows BPF_MAP_TYPE_QUEUE at Linux's offset 0");
            assertEquals(w.mapGetInfo(fd).id(), info.getInt(4), "id at Linux's offset 4");
            assertEquals(8, info.getInt(12));
            assertEquals(4, info.getInt(16));
            assertEquals(88, attr.getInt(4), "info_len is not written back");
            info.put(60, (byte) 1);   // past the 40-byte map view: must be zero on input
            assertEquals(-22, api.bpf(Attr.OBJ_GET_INFO_BY_FD, api.address(attr), Attr.SIZE));
        } finally {
            w.closeFd(fd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "libbpf"})
    void programsRunWithTranslatedHelpersAndReportWindowsInfo(String calls) {
        WinBackend w = open(StandIn.FULL, calls, "ffm");
        int counter = w.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("runs"));
        long[] insns = new Asm()
                .stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                .ldMapFd(Register.R1, counter).call(Helper.MAP_LOOKUP_ELEM).jeq(Register.R0, 0, "out")
                .mov64(Register.R1, 1).atomicAdd64(Register.R0, 0, Register.R1)
                .call(Helper.KTIME_GET_NS)        // Linux 5 is Windows 9: translated on the way in
                .label("out").mov64(Register.R0, 2).exit().toArray();
        int prog = w.progLoad(ProgramSpec.of(ProgramType.XDP, insns, "").withName("count")).fd();
        try {
            TestRunResult r = w.progTestRun(prog, TestRunSpec.ofData(new byte[64]).withRepeat(3));
            assertEquals(2, r.retval());
            byte[] v = new byte[8];
            assertTrue(w.mapLookupElem(counter, u32(0), v, 0));
            assertEquals(3, u64(v));
            ProgramInfo info = w.progGetInfo(prog);
            assertEquals(ProgramType.XDP, info.type());
            assertEquals(1, info.rawType(), "Windows BPF_PROG_TYPE_XDP");
            assertEquals("count", info.name());
            assertArrayEquals(new int[] {w.mapGetInfo(counter).id()}, info.mapIds());
            w.progBindMap(prog, counter, 0);
            assertEquals(WindowsBpf.ObjectKind.PROGRAM, w.objectKind(prog));
            BpfException tooSmall = assertThrows(BpfException.class,
                    () -> w.progTestRun(prog, new TestRunSpec(new byte[64], 8, null, 0, 1, 0, 0, 0)));
            assertEquals(Errno.ENOBUFS, tooSmall.errno(), "Windows reports a short data_out as ENOBUFS");
        } finally {
            w.closeFd(prog);
            w.closeFd(counter);
        }
        BpfUnsupportedException printk = assertThrows(BpfUnsupportedException.class, () -> w.progLoad(ProgramSpec.of(
                ProgramType.XDP, new Asm().call(Helper.TRACE_PRINTK).mov64(Register.R0, 0).exit().toArray(), "")));
        assertTrue(printk.reason().contains("bpf_trace_printk2..5"), printk.reason());
        VerifierException noExit = assertThrows(VerifierException.class,
                () -> w.progLoad(ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 0).toArray(), "")));
        assertFalse(noExit.log().isBlank());
        assertThrows(BpfUnsupportedException.class,
                () -> w.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, new Asm().mov64(Register.R0, 0).exit().toArray(), "")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"syscall", "libbpf"})
    void pinsLiveUnderBpfColonPaths(String calls) throws Exception {
        WinBackend w = open(StandIn.FULL, calls, "ffm");
        String path = "/sys/fs/bpf/bpf4j/" + calls + "/counts";
        String canonical = "BPF:\\sys\\fs\\bpf\\bpf4j\\" + calls + "\\counts";
        assertEquals(canonical, w.canonicalizePinPath(path));
        assertEquals(PinPaths.canonicalize(path), w.canonicalizePinPath(path), "Java and the library agree");
        for (String p : List.of("x", "BPF:x", "bpf:\\a\\.\\b\\..\\c", "\\ebpf\\global\\name", "a//b")) {
            assertEquals(w.canonicalizePinPath(p), PinPaths.canonicalize(p), p);
        }
        int fd = w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 4).withName("pinned"));
        try {
            w.objPin(fd, path);
            BpfException twice = assertThrows(BpfException.class, () -> w.objPin(fd, canonical));
            assertEquals(Errno.EEXIST, twice.errno(), "one canonical path, however it is spelled");
            int got = w.objGet("BPF:" + canonical.substring(4), 0);
            assertEquals(w.mapGetInfo(fd).id(), w.mapGetInfo(got).id());
            w.closeFd(got);
            List<WindowsBpf.PinnedObject> pins = w.pinnedObjects(WindowsBpf.ObjectKind.MAP);
            assertTrue(pins.contains(new WindowsBpf.PinnedObject(canonical, WindowsBpf.ObjectKind.MAP)), pins::toString);
            assertTrue(w.pinnedObjects(WindowsBpf.ObjectKind.PROGRAM).stream().noneMatch(p -> p.path().equals(canonical)));
            w.objUnpin(path);
            BpfException gone = assertThrows(BpfException.class, () -> w.objUnpin(path));
            assertEquals(Errno.ENOENT, gone.errno(), "EBPF_KEY_NOT_FOUND");
            assertEquals(Errno.ENOENT, assertThrows(BpfException.class, () -> w.objGet(path, 0)).errno());
        } finally {
            w.closeFd(fd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffm", "jna"})
    void batchesFollowWindowsEndOfMapRules(String binding) {
        WinBackend w = open(StandIn.FULL, null, binding);
        assertEquals(binding, w.api.name());
        int fd = w.mapCreate(MapSpec.of(MapType.HASH, 4, 8, 16));
        try {
            byte[] keys = new byte[5 * 4];
            byte[] values = new byte[5 * 8];
            for (int i = 0; i < 5; i++) {
                System.arraycopy(u32(i + 1), 0, keys, i * 4, 4);
                System.arraycopy(u64(100 + i), 0, values, i * 8, 8);
            }
            assertEquals(5, w.mapUpdateBatch(fd, keys, values, 5, 0, 0));
            byte[] outKeys = new byte[3 * 4];
            byte[] outValues = new byte[3 * 8];
            byte[] cursor = new byte[4];
            BatchResult first = w.mapLookupBatch(fd, null, cursor, outKeys, outValues, 3, 0, 0);
            assertEquals(new BatchResult(3, false), first);
            BatchResult second = w.mapLookupBatch(fd, cursor.clone(), cursor, outKeys, outValues, 3, 0, 0);
            assertEquals(new BatchResult(2, true), second, "a final partial batch returns 0 with a short count");
            assertEquals(new BatchResult(0, true), w.mapLookupBatch(fd, cursor.clone(), cursor, outKeys, outValues, 3, 0, 0));
            assertEquals(2, w.mapDeleteBatch(fd, keys, 2, 0, 0));
            BatchResult drained = w.mapLookupAndDeleteBatch(fd, null, cursor, new byte[40], new byte[80], 10, 0, 0);
            assertEquals(3, drained.count());
            assertFalse(w.mapGetNextKey(fd, null, new byte[4]));
        } finally {
            w.closeFd(fd);
        }
    }

    @Test
    void nativeImagesLoadWithTheCountProtocol() throws Exception {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        Path image = Files.createTempFile("bpf4j-native", ".sys");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append("map 2 4 8 1 m").append(i).append('\n');   // more than the first guess
        sb.append("prog 1 pass b700000002000000").append("9500000000000000\n");
        Files.writeString(image, sb);
        try {
            WindowsBpf.NativeObject obj = w.loadNative(image.toString());
            assertEquals(20, obj.mapFds().length);
            assertEquals(1, obj.programFds().length);
            assertEquals("m19", w.mapGetInfo(obj.mapFds()[19]).name());
            assertEquals(2, w.progTestRun(obj.programFds()[0], TestRunSpec.ofData(new byte[64])).retval());
            for (int fd : obj.mapFds()) w.closeFd(fd);
            for (int fd : obj.programFds()) w.closeFd(fd);
        } finally {
            Files.delete(image);
        }
        BpfException missing = assertThrows(BpfException.class, () -> w.loadNative("/nonexistent.sys"));
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.getMessage().contains("EBPF_FILE_NOT_FOUND"), missing.getMessage());
    }

    @Test
    void guidsComeFromTheLibraryAndMatchTheHeader() {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        assertEquals(Optional.of(Guids.programType(1)), w.programTypeGuid(ProgramType.XDP));
        assertEquals(Optional.of(Guids.attachType(3)), w.attachTypeGuid(AttachType.CGROUP_INET4_CONNECT));
        assertEquals(1, w.programTypeNumber(Guids.programType(1)));
        assertEquals(7, w.attachTypeNumber(Guids.attachType(7)));
        assertEquals(0, w.programTypeNumber(UUID.randomUUID()));
        assertEquals(Optional.empty(), w.programTypeGuid(ProgramType.KPROBE));
    }

    @Test
    void xdpLinksAndAttachmentsReachTheKernel() throws Exception {
        WinBackend w = open(StandIn.FULL, null, "ffm");
        int ifindex = Dummy.create("bpf4jw" + (ProcessHandle.current().pid() % 10000));
        try {
            int prog = w.progLoad(ProgramSpec.of(ProgramType.XDP, new Asm().mov64(Register.R0, 2).exit().toArray(), "")).fd();
            try {
                int link = w.programAttach(prog, AttachType.XDP, u32(ifindex));
                LinkInfo info = w.linkGetInfo(link);
                assertEquals(LinkType.XDP, info.type());
                assertEquals(3, info.rawType(), "Windows BPF_LINK_TYPE_XDP");
                assertEquals(new LinkDetails.Xdp(ifindex), info.details());
                assertEquals(w.progGetInfo(prog).id(), info.progId());
                assertEquals(WindowsBpf.ObjectKind.LINK, w.objectKind(link));
                boolean found = false;
                for (int id = w.linkGetNextId(0); id != 0; id = w.linkGetNextId(id)) found |= id == info.id();
                assertTrue(found);
                w.linkDetach(link);
                w.closeFd(link);
                w.xdpAttach(ifindex, prog, 0);
                assertEquals(w.progGetInfo(prog).id(), w.xdpQueryId(ifindex, 0));
                w.xdpDetach(ifindex, 0);
                assertEquals(0, w.xdpQueryId(ifindex, 0));
                w.xdpDetach(ifindex, 0);   // nothing attached is not an error (libbpf_program.cpp@v1.5.0:587-643)
            } finally {
                w.closeFd(prog);
            }
        } finally {
            Dummy.delete("bpf4jw" + (ProcessHandle.current().pid() % 10000));
        }
    }
}
