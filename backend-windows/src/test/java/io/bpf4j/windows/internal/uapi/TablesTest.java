package io.bpf4j.windows.internal.uapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins every Windows number, errno, {@code ebpf_result_t} mapping, GUID and struct offset to
 * eBPF for Windows' source (the header lines each table cites; libbpf 1.0 for the opts), by
 * name, so a typo in a table cannot go unnoticed.
 */
class TablesTest {

    @ParameterizedTest
    @CsvSource({"UNSPEC,0", "HASH,1", "ARRAY,2", "PROG_ARRAY,3", "PERCPU_HASH,4", "PERCPU_ARRAY,5", "HASH_OF_MAPS,6",
        "ARRAY_OF_MAPS,7", "LRU_HASH,8", "LPM_TRIE,9", "QUEUE,10", "LRU_PERCPU_HASH,11", "STACK,12", "RINGBUF,13",
        "PERF_EVENT_ARRAY,14", "XSKMAP,16"})
    void mapTypes(MapType t, int windows) {
        assertEquals(windows, WinTypes.mapType(t));
        assertEquals(t, WinTypes.mapType(windows));
    }

    @Test
    void everyOtherMapTypeHasNoWindowsNumber() {
        EnumSet<MapType> known = EnumSet.of(MapType.UNSPEC, MapType.HASH, MapType.ARRAY, MapType.PROG_ARRAY,
                MapType.PERCPU_HASH, MapType.PERCPU_ARRAY, MapType.HASH_OF_MAPS, MapType.ARRAY_OF_MAPS, MapType.LRU_HASH,
                MapType.LPM_TRIE, MapType.QUEUE, MapType.LRU_PERCPU_HASH, MapType.STACK, MapType.RINGBUF,
                MapType.PERF_EVENT_ARRAY, MapType.XSKMAP);
        for (MapType t : EnumSet.complementOf(known)) assertEquals(-1, WinTypes.mapType(t), t::name);
        assertEquals(MapType.UNSPEC, WinTypes.mapType(WinTypes.MAP_SAMPLE_HASH), "SAMPLE_HASH_MAP is Windows-only");
    }

    @ParameterizedTest
    @CsvSource({"UNSPEC,0", "XDP,1", "BIND,2", "CGROUP_SOCK_ADDR,3", "SOCK_OPS,4", "NETEVENT,5", "PROCESS,6",
            "XDP_TEST,998", "SAMPLE,999"})
    void programTypes(ProgramType t, int windows) {
        assertEquals(windows, WinTypes.programType(t));
        assertEquals(t, WinTypes.programType(windows));
    }

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"UNSPEC", "XDP", "CGROUP_SOCK_ADDR", "SOCK_OPS", "BIND", "NETEVENT",
            "PROCESS", "XDP_TEST", "SAMPLE"}, mode = EnumSource.Mode.EXCLUDE)
    void otherProgramTypesAreLinuxOnly(ProgramType t) {
        assertEquals(-1, WinTypes.programType(t));
    }

    @Test
    void windowsOnlyProgramTypesHaveTheirHeadersNumbersAndHooks() {
        assertEquals(2, WinTypes.PROG_BIND);
        assertEquals(5, WinTypes.PROG_NETEVENT);
        assertEquals(6, WinTypes.PROG_PROCESS);
        assertEquals(998, WinTypes.PROG_XDP_TEST);
        assertEquals(999, WinTypes.PROG_SAMPLE);
        for (ProgramType t : ProgramType.values()) {
            assertEquals(t.windowsOnly(), WinTypes.programType(t) == 2 || WinTypes.programType(t) >= 5, t.toString());
        }
        // Their one hook each (include/ebpf_structs.h@v1.5.0:306, :346, :352, :358; BPF_XDP_TEST @Release-v0.21.0:351).
        int[][] hooks = {{2, 2}, {999, 8}, {998, 9}, {5, 10}, {6, 11}};
        for (int[] h : hooks) {
            assertEquals(h[1], WinTypes.defaultAttachType(h[0]), "program type " + h[0]);
            assertEquals(h[0], WinTypes.programTypeOfAttach(h[1]), "attach type " + h[1]);
        }
        assertEquals("0.21", WinTypes.until(ProgramType.XDP_TEST));
        assertEquals(null, WinTypes.until(ProgramType.BIND));
    }

    @ParameterizedTest
    @CsvSource({"XDP,1", "CGROUP_INET4_CONNECT,3", "CGROUP_INET6_CONNECT,4", "CGROUP_SOCK_OPS,7",
        "CGROUP_INET4_BIND,14", "CGROUP_INET6_BIND,15"})
    void attachTypes(AttachType t, int windows) {
        assertEquals(windows, WinTypes.attachType(t));
        assertEquals(t, WinTypes.attachType(windows));
    }

    @Test
    void windowsOnlyAttachTypesDecodeToNothing() {
        for (int n : new int[] {0, 2, 5, 6, 8, 9, 10, 11, 12, 13, 16, 17}) assertNull(WinTypes.attachType(n), "Windows " + n);
        int mapped = 0;
        for (AttachType t : AttachType.values()) if (WinTypes.attachType(t) >= 0) mapped++;
        assertEquals(6, mapped);
    }

    @Test
    void linkTypes() {
        assertEquals(0, WinTypes.linkType(LinkType.UNSPEC));
        assertEquals(2, WinTypes.linkType(LinkType.CGROUP));
        assertEquals(3, WinTypes.linkType(LinkType.XDP));
        assertEquals(LinkType.UNSPEC, WinTypes.linkType(WinTypes.LINK_PLAIN), "PLAIN has no portable name");
        assertEquals(-1, WinTypes.linkType(LinkType.TCX));
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,2", "3,3", "8,8", "12,5", "7,6", "125,7", "5,9", "28,10", "130,11", "87,16", "88,17", "89,18",
        "14,19", "46,26", "25,32", "51,35"})
    void helperIds(int linux, int windows) {
        assertEquals(windows, WinHelpers.toWindows(linux));
        assertEquals(linux, WinHelpers.toLinux(windows));
    }

    @Test
    void linuxOnlyHelpersHaveNoWindowsId() {
        for (int linux : new int[] {4, 6, 9, 23, 35, 131}) assertEquals(-1, WinHelpers.toWindows(linux), "Linux helper " + linux);
        for (int windows : new int[] {4, 20, 21, 22, 23, 24, 25, 27, 28, 29, 30, 31, 33, 34}) {
            assertEquals(-1, WinHelpers.toLinux(windows), "Windows-only helper " + windows);
        }
    }

    /** Reference §5.1: every errno that differs, as Windows/Linux. */
    @ParameterizedTest
    @CsvSource({"EDEADLK,36,35", "ENAMETOOLONG,38,36", "ENOLCK,39,37", "ENOSYS,40,38", "ENOTEMPTY,41,39", "EILSEQ,42,84",
        "EADDRINUSE,100,98", "EAFNOSUPPORT,102,97", "EALREADY,103,114", "EINPROGRESS,112,115", "EMSGSIZE,115,90",
        "ENOTCONN,126,107", "ENOTSOCK,128,88", "EPROTONOSUPPORT,135,93", "EBADMSG,104,74", "ECANCELED,105,125",
        "EIDRM,111,43", "ELOOP,114,40", "ENOBUFS,119,105", "ENODATA,120,61", "ENOLINK,121,67", "ENOMSG,122,42",
        "EOPNOTSUPP,130,95", "EOVERFLOW,132,75", "EPROTO,134,71", "ETIME,137,62", "ETIMEDOUT,138,110", "ETXTBSY,139,26"})
    void errnoNumbers(Errno e, int windows, int linux) {
        assertEquals(e, WinErrors.errno(windows));
        assertEquals(windows, e.windows());
        assertEquals(linux, e.linux());
    }

    @Test
    void windowsOnlyErrnos() {
        assertEquals(Errno.ENOTSUP, WinErrors.errno(129));
        assertEquals(Errno.EOTHER, WinErrors.errno(131));
        assertEquals(Errno.EAGAIN, WinErrors.errno(140), "EWOULDBLOCK");
        for (int same = 1; same <= 34; same++) {
            if (same == 26 || same == 15 || same == 8 || same == 10) continue;   // ETXTBSY differs; ENOTBLK absent; no portable name for 8, 10
            assertEquals(same, WinErrors.errno(same).windows(), "errno " + same);
        }
    }

    /** Reference §5.2: every ebpf_result_t and the errno libbpf reports for it. */
    @Test
    void resultToErrnoCoversEveryResult() {
        Map<Integer, Integer> expected = Map.ofEntries(Map.entry(0, 0), Map.entry(12, 12), Map.entry(5, 22),
                Map.entry(6, 22), Map.entry(15, 22), Map.entry(23, 22), Map.entry(4, 9), Map.entry(18, 129),
                Map.entry(24, 119), Map.entry(7, 2), Map.entry(9, 2), Map.entry(19, 2), Map.entry(25, 2),
                Map.entry(8, 17), Map.entry(1, 13), Map.entry(31, 14), Map.entry(29, 28), Map.entry(20, 1));
        assertEquals(35, WinErrors.resultCount());
        for (int r = 0; r < 35; r++) {
            assertEquals(expected.getOrDefault(r, 131), WinErrors.resultToErrno(r), WinErrors.resultName(r));
        }
        assertEquals("EBPF_KEY_NOT_FOUND", WinErrors.resultName(19));
        assertEquals("EBPF_RPC_EXCEPTION", WinErrors.resultName(14));
        assertEquals("EBPF_INVALID_STATE", WinErrors.resultName(34));
    }

    @Test
    void infoStructOffsets() {
        assertEquals(96, Infos.MAP_SIZE);
        assertEquals(0, Infos.MAP_ID);
        assertEquals(4, Infos.MAP_TYPE);
        assertEquals(20, Infos.MAP_NAME);
        assertEquals(84, Infos.MAP_FLAGS);
        assertEquals(88, Infos.MAP_INNER_MAP_ID);
        assertEquals(92, Infos.MAP_PINNED_PATH_COUNT);
        assertEquals(128, Infos.PROG_SIZE);
        assertEquals(8, Infos.PROG_NR_MAP_IDS);
        assertEquals(16, Infos.PROG_MAP_IDS);
        assertEquals(24, Infos.PROG_NAME);
        assertEquals(88, Infos.PROG_TYPE_UUID);
        assertEquals(104, Infos.PROG_ATTACH_TYPE_UUID);
        assertEquals(120, Infos.PROG_PINNED_PATH_COUNT);
        assertEquals(124, Infos.PROG_LINK_COUNT);
        assertEquals(56, Infos.LINK_SIZE);
        assertEquals(4, Infos.LINK_PROG_ID);
        assertEquals(8, Infos.LINK_TYPE);
        assertEquals(12, Infos.LINK_ATTACH_TYPE);
        assertEquals(16, Infos.LINK_ATTACH_TYPE_UUID);
        assertEquals(32, Infos.LINK_PROGRAM_TYPE_UUID);
        assertEquals(48, Infos.LINK_TARGET);
    }

    @Test
    void mapInfoDecodesWithIdAndTypeSwapped() {
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 77).putInt(4, 9).putInt(8, 8).putInt(12, 16).putInt(16, 100);
        byte[] name = "a_name_longer_than_fifteen".getBytes();
        b.put(20, name);
        var info = Infos.map(b);
        assertEquals(77, info.id());
        assertEquals(MapType.LPM_TRIE, info.type());
        assertEquals(9, info.rawType());
        assertEquals("a_name_longer_than_fifteen", info.name(), "Windows keeps 63 characters");
    }

    @Test
    void optsOffsets() {
        assertEquals(48, Opts.MAP_CREATE_SIZE);
        assertEquals(24, Opts.MAP_CREATE_INNER_MAP_FD);
        assertEquals(28, Opts.MAP_CREATE_MAP_FLAGS);
        assertEquals(40, Opts.MAP_CREATE_NUMA_NODE);
        assertEquals(44, Opts.MAP_CREATE_MAP_IFINDEX);
        assertEquals(104, Opts.PROG_LOAD_SIZE);
        assertEquals(12, Opts.PROG_LOAD_EXPECTED_ATTACH_TYPE);
        assertEquals(48, Opts.PROG_LOAD_FD_ARRAY);
        assertEquals(88, Opts.PROG_LOAD_LOG_LEVEL);
        assertEquals(92, Opts.PROG_LOAD_LOG_SIZE);
        assertEquals(96, Opts.PROG_LOAD_LOG_BUF);
        assertEquals(80, Opts.TEST_RUN_SIZE);
        int[] tr = {Opts.TR_DATA_IN, Opts.TR_DATA_OUT, Opts.TR_DATA_SIZE_IN, Opts.TR_DATA_SIZE_OUT, Opts.TR_CTX_IN,
            Opts.TR_CTX_OUT, Opts.TR_CTX_SIZE_IN, Opts.TR_CTX_SIZE_OUT, Opts.TR_RETVAL, Opts.TR_REPEAT, Opts.TR_DURATION,
            Opts.TR_FLAGS, Opts.TR_CPU, Opts.TR_BATCH_SIZE};
        assertEquals(java.util.List.of(8, 16, 24, 28, 32, 40, 48, 52, 56, 60, 64, 68, 72, 76),
                java.util.Arrays.stream(tr).boxed().toList());
        assertEquals(24, Opts.BATCH_SIZE);
        assertEquals(8, Opts.BATCH_ELEM_FLAGS);
        assertEquals(16, Opts.BATCH_FLAGS);
        assertEquals(16, Opts.PROG_BIND_SIZE);
        assertEquals(8, Opts.XDP_ATTACH_OLD_PROG_FD);
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        Opts.mapCreate(b, 5);
        assertEquals(48, b.getLong(0), "sz");
        assertEquals(5, b.getInt(24));
    }

    @Test
    void bpfAttrViews() {
        assertEquals(48, Attr.VIEW_MAP_CREATE);
        assertEquals(32, Attr.VIEW_ELEM);
        assertEquals(16, Attr.VIEW_DELETE);
        assertEquals(24, Attr.VIEW_NEXT_KEY);
        assertEquals(64, Attr.VIEW_PROG_LOAD_0_21, "0.21.x: the struct ends at prog_name");
        assertEquals(144, Attr.VIEW_PROG_LOAD);
        assertEquals(4, Attr.VIEW_LINK_DETACH);
        assertEquals(12, Attr.VIEW_BIND_MAP);
        assertEquals(16, Attr.VIEW_OBJ);
        assertEquals(80, Attr.VIEW_TEST_RUN);
        assertEquals(8, Attr.VIEW_NEXT_ID);
        assertEquals(4, Attr.VIEW_FD_BY_ID);
        assertEquals(140, Attr.LOG_TRUE_SIZE);
        ByteBuffer a = ByteBuffer.allocateDirect(Attr.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Attr.progLoad(a, 1, 0x1000, 2, 0x2000, 1, 0x3000, 4096, "pass");
        for (int off = 64; off < 140; off++) assertEquals(0, a.get(off), "offset " + off + " must stay zero");
        assertEquals('p', a.get(48));
        Attr.clear(a);
        Attr.mapCreate(a, 9, 8, 8, 16, 0, "trie");
        assertEquals(0, a.getInt(16), "map_flags");
        for (int off = 48; off < Attr.SIZE; off++) assertEquals(0, a.get(off), "offset " + off);
    }

    @Test
    void guidsMatchTheHeaderAndTheirMemoryLayout() {
        assertEquals(UUID.fromString("f1832a85-85d5-45b0-98a0-7069d63013b0"), Guids.programType(1));
        assertEquals(UUID.fromString("92ec8e39-aeec-11ec-9a30-18602489beee"), Guids.programType(3));
        assertEquals(UUID.fromString("43fb224d-68f8-46d6-aa3f-c856518cbb32"), Guids.programType(4));
        assertEquals(UUID.fromString("85e0d8ef-579e-4931-b072-8ee226bb2e9d"), Guids.attachType(1));
        assertEquals(UUID.fromString("a82e37b4-aee7-11ec-9a30-18602489beee"), Guids.attachType(6));
        assertEquals(UUID.fromString("837d02cd-3251-4632-8d94-60d3b45769f2"), Guids.attachType(7));
        assertEquals(UUID.fromString("4e72f92e-5ed0-4fe5-b851-b124fe14074d"), Guids.attachType(17));
        ByteBuffer b = ByteBuffer.allocate(16);
        Guids.put(b, 0, Guids.programType(1));
        assertEquals((byte) 0x85, b.get(0), "Data1 is little-endian");
        assertEquals((byte) 0xd5, b.get(4), "Data2 is little-endian");
        assertEquals((byte) 0x98, b.get(8), "Data4 is in order");
        assertEquals(Guids.programType(1), Guids.get(b, 0));
    }

    /** ebpf_canonicalize_path's rules, corners included (shared_common.c@v1.5.0:766-879). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/sys/fs/bpf/x|BPF:\\sys\\fs\\bpf\\x", "x|BPF:\\x", "bpf:x|BPF:\\x",
        "BPF:\\a\\.\\b\\..\\c|BPF:\\a\\c", "\\ebpf\\global\\name|BPF:\\name", "a//b|BPF:\\a\\b", "/|BPF:\\",
        "/EBPF/Global/name|BPF:\\name", "/ebpf//global/x|BPF:\\ebpf\\global\\x", "/ebpf/global|BPF:\\ebpf\\global",
        "a/.|BPF:\\a\\.", "/a/..|BPF:", "a/b/../..|BPF:", "BPF:\\x|BPF:\\x"})
    void pinPaths(String in, String canonical) {
        assertEquals(canonical, PinPaths.canonicalize(in));
    }

    @Test
    void pinPathsAreStoredAsGivenBefore1() {
        assertEquals("/sys/fs/bpf/x", PinPaths.stored("/sys/fs/bpf/x", false));
        assertEquals("C:\\x", PinPaths.stored("C:\\x", false), "0.21.x takes any path");
        assertThrows(IllegalArgumentException.class, () -> PinPaths.stored("x".repeat(256), false));
        assertEquals(255, PinPaths.stored("x".repeat(255), false).length());
    }

    @Test
    void badPinPaths() {
        for (String p : new String[] {"C:\\x", "..", "/..", "BPF:\\a\\..\\..", ""}) {
            assertThrows(IllegalArgumentException.class, () -> PinPaths.canonicalize(p), p);
        }
        assertThrows(IllegalArgumentException.class, () -> PinPaths.canonicalize("x".repeat(257)));
        // The table takes at most 255 bytes: "BPF:\\" and 250 more.
        assertEquals(255, PinPaths.canonicalize("x".repeat(250)).length());
        assertThrows(IllegalArgumentException.class, () -> PinPaths.canonicalize("x".repeat(251)));
        // Too long before collapsing is refused too (MAX_PATH), even when it would collapse short.
        assertThrows(IllegalArgumentException.class, () -> PinPaths.canonicalize("./".repeat(130) + "x"));
    }
}
