package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pin and get, ids, fd by id, info, BTF load, stats, task fd query and tokens on the real kernel. */
@ExtendWith(LeakCheck.class)
class ObjectCommandsTest {
    private static LinuxBpf bpf;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    /**
     * Raw BTF built by hand: the 24-byte header, one INT type and the string table
     * ({@code Documentation/bpf/btf.rst}).
     */
    static byte[] btf(int bits) {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(16).putInt(16).putInt(strings.length);
        b.putInt(1).putInt(1 << 24).putInt(4).putInt(1 << 24 | bits); // "int", KIND_INT, 4 bytes, SIGNED
        b.put(strings);
        return b.array();
    }

    @Test
    void pinAndGet() throws Exception {
        Path dir = Files.createDirectory(Need.bpffs().resolve(Host.fresh("pin")));
        int m = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1));
        try {
            String path = dir.resolve("counts").toString();
            bpf.objPin(m, path);
            assertTrue(Files.exists(Path.of(path)));
            BpfException e = assertThrows(BpfException.class, () -> bpf.objPin(m, path));
            assertEquals(Errno.EEXIST, e.errno());
            int again = bpf.objGet(path, 0);
            int ro = bpf.objGet(path, MapFlags.RDONLY);
            try {
                assertEquals(bpf.mapGetInfo(m).id(), bpf.mapGetInfo(again).id());
                bpf.mapUpdateElem(again, MapCommandsTest.u32(0), MapCommandsTest.u32(5), 0);
                byte[] v = new byte[4];
                assertTrue(bpf.mapLookupElem(ro, MapCommandsTest.u32(0), v, 0));
                assertEquals(5, MapCommandsTest.u32(v, 0));
                e = assertThrows(BpfException.class, () -> bpf.mapUpdateElem(ro, MapCommandsTest.u32(0), MapCommandsTest.u32(6), 0));
                assertEquals(Errno.EPERM, e.errno(), "a read-only descriptor refuses writes");
            } finally {
                bpf.closeFd(again);
                bpf.closeFd(ro);
            }
            e = assertThrows(BpfException.class, () -> bpf.objGet(dir.resolve("absent").toString(), 0));
            assertEquals(Errno.ENOENT, e.errno());
            assertThrows(IllegalArgumentException.class, () -> bpf.objGet(path, MapFlags.RDONLY | MapFlags.WRONLY));
        } finally {
            bpf.closeFd(m);
            Host.deleteTree(dir);
        }
    }

    private static boolean walkFinds(IntUnaryOperator next, int id) {
        int cur = 0;
        for (int guard = 0; guard < 1_000_000; guard++) {
            cur = next.applyAsInt(cur);
            if (cur == 0) return false;
            if (cur == id) return true;
        }
        return false;
    }

    @Test
    void idsAndFdById() {
        int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1).withName("ids"));
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL").withName("ids")).fd();
        try {
            int mapId = bpf.mapGetInfo(m).id();
            int progId = bpf.progGetInfo(p).id();
            assertTrue(walkFinds(bpf::mapGetNextId, mapId));
            assertTrue(walkFinds(bpf::progGetNextId, progId));
            int m2 = bpf.mapGetFdById(mapId);
            int p2 = bpf.progGetFdById(progId);
            try {
                assertEquals("ids", bpf.mapGetInfo(m2).name());
                assertEquals("ids", bpf.progGetInfo(p2).name());
            } finally {
                bpf.closeFd(m2);
                bpf.closeFd(p2);
            }
            int last = 0;
            for (int id = bpf.mapGetNextId(0); id != 0; id = bpf.mapGetNextId(id)) last = id;
            assertEquals(0, bpf.mapGetNextId(last), "ENOENT past the last id is 0");
            BpfException e = assertThrows(BpfException.class, () -> bpf.mapGetFdById(Integer.MAX_VALUE));
            assertEquals(Errno.ENOENT, e.errno());
            assertThrows(IllegalArgumentException.class, () -> bpf.mapGetFdById(0));
        } finally {
            bpf.closeFd(m);
            bpf.closeFd(p);
        }
    }

    @Test
    void btfLoadInfoAndMapWithBtf() {
        byte[] blob = btf(32);
        LoadResult r = bpf.btfLoad(blob, 0);
        try {
            BtfInfo info = bpf.btfGetInfo(r.fd());
            assertTrue(info.id() > 0);
            assertEquals(blob.length, info.size());
            assertFalse(info.kernel());
            assertTrue(walkFinds(bpf::btfGetNextId, info.id()));
            int again = bpf.btfGetFdById(info.id());
            bpf.closeFd(again);
            int m = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1).withBtf(r.fd(), 1, 1));
            try {
                assertEquals(info.id(), bpf.mapGetInfo(m).btfId());
                assertEquals(1, bpf.mapGetInfo(m).btfKeyTypeId());
            } finally {
                bpf.closeFd(m);
            }
            // vmlinux is BTF object 1 on a kernel with BTF, and reports itself as the kernel's.
            int vm = bpf.btfGetFdById(1);
            try {
                BtfInfo vi = bpf.btfGetInfo(vm);
                assertTrue(vi.kernel());
                assertEquals("vmlinux", vi.name());
            } finally {
                bpf.closeFd(vm);
            }
        } finally {
            bpf.closeFd(r.fd());
        }
        LoadResult withLog = bpf.btfLoad(blob, 1);
        bpf.closeFd(withLog.fd());
    }

    @Test
    void invalidBtfIsAVerifierException() {
        // A 4-byte int cannot have 64 bits: the kernel's BTF checker refuses it with a log.
        VerifierException e = assertThrows(VerifierException.class, () -> bpf.btfLoad(btf(64), 0));
        assertEquals(Errno.EINVAL, e.errno());
        assertFalse(e.log().isBlank());
        assertTrue(e.log().contains("nr_bits") || e.log().contains("Invalid"), e.log());
    }

    @Test
    void statsCountRuns() {
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.SOCKET_FILTER, Insn.ret(0), "GPL")).fd();
        int stats = bpf.enableStats(StatsType.RUN_TIME);
        try {
            bpf.progTestRun(p, TestRunSpec.ofData(new byte[64]).withRepeat(5));
            assertTrue(bpf.progGetInfo(p).runCount() >= 5, "run_cnt counts while stats are on");
        } finally {
            bpf.closeFd(stats);
            bpf.closeFd(p);
        }
    }

    @Test
    void rawTracepointLinkInfoAndTaskFdQuery() {
        int p = bpf.progLoad(ProgramSpec.of(ProgramType.RAW_TRACEPOINT, Insn.ret(0), "GPL")).fd();
        try {
            int link = bpf.rawTracepointOpen("sys_enter", p, 0);
            try {
                int progId = bpf.progGetInfo(p).id();
                LinkInfo li = bpf.linkGetInfo(link);
                assertEquals(LinkType.RAW_TRACEPOINT, li.type());
                assertEquals(progId, li.progId());
                assertEquals(new LinkDetails.RawTracepoint("sys_enter"), li.details());
                assertTrue(walkFinds(bpf::linkGetNextId, li.id()));
                int again = bpf.linkGetFdById(li.id());
                bpf.closeFd(again);
                TaskFdQueryResult q = bpf.taskFdQuery((int) ProcessHandle.current().pid(), link, 0);
                assertEquals(progId, q.progId());
                assertEquals(0, q.fdType(), "BPF_FD_TYPE_RAW_TRACEPOINT");
                assertEquals("sys_enter", q.name());
            } finally {
                bpf.closeFd(link);
            }
            BpfException e = assertThrows(BpfException.class, () -> bpf.rawTracepointOpen("no_such_tracepoint_bpf4j", p, 0));
            assertEquals(Errno.ENOENT, e.errno());
        } finally {
            bpf.closeFd(p);
        }
    }

    @Test
    void tokenCreateIsUnsupportedWhereTheKernelRefusesTokens() {
        // Whether tokens exist here comes from the CI kernel's table, not from the probe under test.
        Need.that(ExpectedKernel.lacks(Operation.TOKEN_CREATE),
                "token creation needs a bpffs mounted with delegate_* options in a user namespace, which this test does not make");
        var s = bpf.capabilities().operation(Operation.TOKEN_CREATE);
        assertFalse(s.supported(), "the kernel refuses tokens in the initial user namespace, yet the report says " + s);
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> bpf.tokenCreate(3, 0));
        assertEquals(s.reason(), e.reason());
    }
}
