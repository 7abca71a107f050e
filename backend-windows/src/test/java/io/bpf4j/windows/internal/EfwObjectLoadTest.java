package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.api.object.ObjectFlavor;
import io.bpf4j.api.object.ObjectFormatException;
import io.bpf4j.api.object.ObjectSpec;
import io.bpf4j.api.object.Pinning;
import io.bpf4j.windows.StandIn;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * eBPF for Windows objects loaded through the object layer on the Windows backend, against the
 * stand-in (which serves efW's ABI from the kernel): maps and programs are created with Windows'
 * numbers, the kernel holds the types they mean, and the programs run.
 */
class EfwObjectLoadTest {

    @AfterAll
    static void cleanUp() {
        StandIn.cleanUp();
    }

    private static ObjectSpec efw(String name) throws IOException {
        try (InputStream in = EfwObjectLoadTest.class.getResourceAsStream("/objects/windows/" + name)) {
            if (in == null) throw new IllegalStateException(name + " is not on the class path");
            return ObjectSpec.parse(name, in.readAllBytes(), ObjectFlavor.EBPF_FOR_WINDOWS);
        }
    }

    /** The kernel's own view of a descriptor the stand-in made: its {@code map_type} or {@code prog_type}. */
    private static int kernelType(int fd, String field) throws IOException {
        Matcher m = Pattern.compile(field + ":\\s+(\\d+)").matcher(Files.readString(Path.of("/proc/self/fdinfo/" + fd)));
        assertTrue(m.find(), field + " in fdinfo of " + fd);
        return Integer.parseInt(m.group(1));
    }

    private static void assertMap(BpfMap map, MapType type, int windowsType, int linuxType, int key, int value, int max)
            throws IOException {
        MapInfo info = map.info();
        assertEquals(type, info.type(), map.name());
        assertEquals(windowsType, info.rawType(), map.name() + ": the Windows number");
        assertEquals(key + "/" + value + "/" + max, info.keySize() + "/" + info.valueSize() + "/" + info.maxEntries(), map.name());
        assertEquals(linuxType, kernelType(map.fd(), "map_type"), map.name() + ": the kernel's type");
    }

    private static void assertProgram(BpfCollection c, String name, ProgramType type, int windowsType) {
        ProgramInfo info = c.program(name).info();
        assertEquals(type, info.type(), name);
        assertEquals(windowsType, info.rawType(), name + ": the Windows number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"full/syscall", "full/libbpf", "0.21/syscall"})
    void legacyDefinitionsAndSectionsLoadWithWindowsNumbers(String variantAndCalls) throws IOException {
        String[] v = variantAndCalls.split("/");
        WinBackend w = StandInBackendTest.open(v[0], v[1], "ffm");
        String root = "/sys/fs/bpf/bpf4j-efw-" + ProcessHandle.current().pid() + "-" + v[0];
        ObjectSpec spec = efw("efw_maps.o").withPrograms("count_xdp", "allow_connect4", "watch_sockops", "allow_accept6");
        try (BpfCollection c = spec.load(w, LoadOptions.defaults().withPinRoot(root))) {
            // include/ebpf_structs.h@v1.5.0:19-36 against Linux's bpf_map_type.
            assertMap(c.map("counts"), MapType.ARRAY, 2, 2, 4, 8, 4);
            assertMap(c.map("ports"), MapType.HASH, 1, 1, 4, 4, 128);
            assertMap(c.map("per_cpu"), MapType.PERCPU_ARRAY, 5, 6, 4, 8, 2);
            assertMap(c.map("events"), MapType.RINGBUF, 13, 27, 0, 0, 65536);
            // include/ebpf_structs.h@v1.5.0:189-238.
            assertProgram(c, "count_xdp", ProgramType.XDP, 1);
            assertProgram(c, "allow_connect4", ProgramType.CGROUP_SOCK_ADDR, 3);
            assertProgram(c, "watch_sockops", ProgramType.SOCK_OPS, 4);
            assertProgram(c, "allow_accept6", ProgramType.CGROUP_SOCK_ADDR, 3);
            assertEquals(root + "/counts", c.pinPath("counts"));
            // The relocated map reference works: the program counts into element 0 and passes.
            assertEquals(1, c.program("count_xdp").testRun(TestRunSpec.ofData(new byte[64])).retval());
            byte[] n = c.map("counts").lookup(u32(0)).orElseThrow();
            assertEquals(1, ByteBuffer.wrap(n).order(ByteOrder.LITTLE_ENDIAN).getLong());
        } finally {
            try {
                w.objUnpin(root + "/counts");
            } catch (RuntimeException ignored) {
                // not pinned: the load failed before
            }
        }
    }

    /** By default a map pinned by name goes where efW's own loader pins it, and a second load reuses it. */
    @ParameterizedTest
    @ValueSource(strings = {"full", "0.21"})
    void mapsPinnedByNameGoWhereEfwPinsThem(String variant) throws IOException {
        WinBackend w = StandInBackendTest.open(variant, "syscall", "ffm");
        String path = LoadOptions.EBPF_FOR_WINDOWS_PIN_ROOT + "/by_id";
        try {
            int id;
            try (BpfCollection c = efw("efw_btf_maps.o").load(w)) {
                assertEquals(path, c.pinPath("by_id"));
                id = c.map("by_id").info().id();
            }
            try (BpfMap pinned = BpfMap.pinned(w, path); BpfCollection again = efw("efw_btf_maps.o").load(w)) {
                assertEquals(id, pinned.info().id());
                assertEquals(id, again.map("by_id").info().id(), "the pinned map is reused");
            }
        } finally {
            try {
                w.objUnpin(path);
            } catch (RuntimeException ignored) {
                // not pinned there: the assertions above say why
            }
        }
    }

    /** The xdp section's hook, used as the section says: an XDP link on the interface. */
    @Test
    void theXdpSectionAttachesToAnInterface() throws Exception {
        WinBackend w = StandInBackendTest.open(StandIn.FULL, "syscall", "ffm");
        String ifname = "bpf4je" + (ProcessHandle.current().pid() % 10000);
        int ifindex = Dummy.create(ifname);
        try (BpfCollection c = efw("efw_btf_maps.o").withPinning("by_id", Pinning.NONE).load(w);
                BpfLink link = c.attach("count_btf", ifindex)) {
            LinkInfo info = link.info();
            assertEquals(LinkType.XDP, info.type());
            assertEquals(new LinkDetails.Xdp(ifindex), info.details());
            assertEquals(c.program("count_btf").info().id(), info.progId());
        } finally {
            Dummy.delete(ifname);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "0.21"})
    void btfDefinedMapsLoadWithWindowsNumbers(String variant) throws IOException {
        WinBackend w = StandInBackendTest.open(variant, "syscall", "ffm");
        String root = "/sys/fs/bpf/bpf4j-efwbtf-" + ProcessHandle.current().pid() + "-" + variant;
        try (BpfCollection c = efw("efw_btf_maps.o").load(w, LoadOptions.defaults().withPinRoot(root))) {
            assertMap(c.map("per_cpu_counts"), MapType.PERCPU_ARRAY, 5, 6, 4, 8, 8);
            assertMap(c.map("by_id"), MapType.HASH, 1, 1, 8, 4, 16);
            assertProgram(c, "count_btf", ProgramType.XDP, 1);
            assertEquals(1, c.program("count_btf").testRun(TestRunSpec.ofData(new byte[64])).retval());
        } finally {
            try {
                w.objUnpin(root + "/by_id");
            } catch (RuntimeException ignored) {
                // not pinned: the load failed before
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "0.21"})
    void whatTheBpfPathCannotTakeIsRefusedWithTheReason(String variant) throws IOException {
        WinBackend w = StandInBackendTest.open(variant, "syscall", "ffm");
        ObjectFormatException global = assertThrows(ObjectFormatException.class, () -> efw("efw_global.o").load(w));
        assertTrue(global.getMessage().contains("global data"), global.getMessage());
    }

    /**
     * efW's own program types load with their Windows numbers and run (the stand-in has the kernel
     * run them as SYSCALL programs on the context given), and a legacy map of maps takes its
     * template by inner_map_idx and by inner_id: the programs reach the inner map through both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"full/syscall", "full/libbpf", "0.21/syscall"})
    void windowsOnlyProgramsRunThroughLegacyMapsOfMaps(String variantAndCalls) throws IOException {
        String[] v = variantAndCalls.split("/");
        WinBackend w = StandInBackendTest.open(v[0], v[1], "ffm");
        try (BpfCollection c = efw("efw_map_in_map.o").load(w)) {
            // include/ebpf_structs.h@v1.5.0:26-27 against Linux's 13 and 12.
            assertMap(c.map("outer_by_idx"), MapType.ARRAY_OF_MAPS, 7, 12, 4, 4, 2);
            assertMap(c.map("outer_by_id"), MapType.HASH_OF_MAPS, 6, 13, 4, 4, 4);
            assertMap(c.map("inner"), MapType.ARRAY, 2, 2, 4, 8, 1);
            assertProgram(c, "bind_through_idx", ProgramType.BIND, 2);
            assertProgram(c, "sample_through_id", ProgramType.SAMPLE, 999);
            assertEquals(31, kernelType(c.program("bind_through_idx").fd(), "prog_type"), "run by the kernel as SYSCALL");
            byte[] bindMd = new byte[io.bpf4j.windows.WindowsContexts.Bind.SIZE];
            ByteBuffer.wrap(bindMd).order(ByteOrder.LITTLE_ENDIAN).putInt(io.bpf4j.windows.WindowsContexts.Bind.OPERATION, 2);
            // Empty outer maps: the first lookup fails (100, plus the context's operation 2).
            assertEquals(102, c.program("bind_through_idx").testRun(TestRunSpec.ofContext(bindMd)).retval());
            assertEquals(100, c.program("sample_through_id").testRun(TestRunSpec.ofContext(new byte[8])).retval());
            c.map("inner").update(u32(0), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(40).array(), 0);
            c.map("outer_by_idx").update(u32(0), u32(c.map("inner").fd()), 0);
            c.map("outer_by_id").update(u32(0), u32(c.map("inner").fd()), 0);
            io.bpf4j.api.TestRunResult r = c.program("bind_through_idx").testRun(TestRunSpec.ofContext(bindMd));
            assertEquals(42, r.retval());
            assertEquals(40, c.program("sample_through_id").testRun(TestRunSpec.ofContext(new byte[8])).retval());
        }
    }

    /** efw_maps.o whole, with its bind and sample_ext programs. */
    @ParameterizedTest
    @ValueSource(strings = {"full", "0.21"})
    void theWindowsOnlySectionsOfAnObjectLoad(String variant) throws IOException {
        WinBackend w = StandInBackendTest.open(variant, "syscall", "ffm");
        String root = "/sys/fs/bpf/bpf4j-efwall-" + ProcessHandle.current().pid() + "-" + variant;
        try (BpfCollection c = efw("efw_maps.o").load(w, LoadOptions.defaults().withPinRoot(root))) {
            assertProgram(c, "watch_bind", ProgramType.BIND, 2);
            assertProgram(c, "sample", ProgramType.SAMPLE, 999);
            assertEquals(0, c.program("watch_bind").testRun(TestRunSpec.ofContext(new byte[56])).retval());
        } finally {
            try {
                w.objUnpin(root + "/counts");
            } catch (RuntimeException ignored) {
                // not pinned: the load failed before
            }
        }
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
