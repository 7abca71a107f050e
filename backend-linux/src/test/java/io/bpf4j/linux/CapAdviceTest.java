package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Capabilities;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.sys.NativeBinding;
import io.bpf4j.linux.internal.sys.Syscalls;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An EPERM is explained by what this process really lacks: "grant CAP_X" only when CAP_X is not
 * in effect, and otherwise what else refuses BPF as root. The capabilities are read here from
 * /proc/self/status, apart from the backend, and the arena map is tried with a bpf_attr built
 * here, apart from the prober.
 */
@ExtendWith(LeakCheck.class)
class CapAdviceTest {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;
    private static LinuxBpf bpf;
    private static Capabilities caps;

    /** Why this machine cannot run the class, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void open() throws Exception {
        skip = Need.inBeforeAll(RealKernel::require);
        if (skip != null) return;
        bpf = RealKernel.open();
        caps = bpf.capabilities();
    }

    @BeforeEach
    void needKernel() {
        Need.still(skip);
    }

    @AfterAll
    static void close() {
        if (bpf != null) bpf.close();
    }

    /** CapEff of /proc/self/status. */
    static long capEff() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) return Long.parseUnsignedLong(line.substring(7).strip(), 16);
        }
        throw new IllegalStateException("no CapEff in /proc/self/status");
    }

    static boolean has(long eff, int cap) {
        return (eff & (1L << cap)) != 0;
    }

    @Test
    void grantIsAdvisedOnlyForCapabilitiesThatAreMissing() throws IOException {
        long eff = capEff();
        int[] caps4 = {CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN, CAP_SYS_ADMIN};
        String[] names = {"CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"};
        List<String> wrong = new ArrayList<>();
        int eperm = 0;
        for (Map<?, Support> m : List.<Map<?, Support>>of(caps.operations(), caps.mapTypes(), caps.programTypes(),
                caps.attachTypes(), caps.linkTypes())) {
            for (Map.Entry<?, Support> e : m.entrySet()) {
                String r = e.getValue().reason();
                if (r == null || !r.contains("EPERM")) continue;
                eperm++;
                for (int i = 0; i < caps4.length; i++) {
                    if (r.contains("grant " + names[i]) && has(eff, caps4[i])) wrong.add(e.getKey() + ": " + r);
                }
                if (r.contains("run as root") && has(eff, CAP_BPF) && has(eff, CAP_PERFMON) && has(eff, CAP_NET_ADMIN)) {
                    wrong.add(e.getKey() + ": " + r);
                }
            }
        }
        assertEquals(List.of(), wrong, "advice to grant what this process has (CapEff " + Long.toHexString(eff) + ")");
        System.out.println("entries refused with EPERM: " + eperm);
    }

    /** BPF_MAP_CREATE of an arena, with the attr written here (include/uapi/linux/bpf.h, Linux 6.18). */
    private static long rawArena(int maxEntries, int flags) {
        Syscalls sys = NativeBinding.load().syscalls();
        ByteBuffer attr = ByteBuffer.allocateDirect(128).order(ByteOrder.LITTLE_ENDIAN);
        attr.putInt(0, 33); // BPF_MAP_TYPE_ARENA
        attr.putInt(12, maxEntries); // pages
        attr.putInt(16, flags);
        long rc = sys.bpf(0 /* BPF_MAP_CREATE */, sys.address(attr), 128);
        if (rc >= 0) sys.close((int) rc);
        return rc;
    }

    @Test
    void arenaIsReportedAsTheKernelAnswers() {
        int mmapable = 1 << 10;
        long rc = rawArena(1, mmapable);
        Support s = caps.mapType(MapType.ARENA);
        if (rc >= 0) {
            assertTrue(s.supported(), "the kernel makes arenas, the report says " + s);
            int fd = bpf.mapCreate(MapSpec.of(MapType.ARENA, 0, 0, 2).withFlags(MapFlags.MMAPABLE).withName("arena"));
            try {
                assertEquals(MapType.ARENA, bpf.mapGetInfo(fd).type());
            } finally {
                bpf.closeFd(fd);
            }
            // The arena's own rules: without BPF_F_MMAPABLE the kernel says EINVAL.
            assertEquals(-22, rawArena(1, 0));
            return;
        }
        // This kernel refuses arenas: the report must say so, conclusively, with the real cause.
        assertEquals(-1, rc, "arena creation failed with errno " + -rc);
        assertFalse(s.supported());
        assertTrue(s.known(), s.toString());
        assertTrue(s.reason().contains("EPERM"), s.reason());
        // An arena the arena code must reject (no BPF_F_MMAPABLE) gets EPERM too: the refusal
        // comes before the map's attributes are looked at, so no probe shape could pass it.
        assertEquals(-1, rawArena(1, 0));
        assertTrue(s.reason().contains("before it looks at them"), s.reason());
        System.out.println("arena on this kernel: " + s);
    }

    /**
     * A child JVM without CAP_NET_ADMIN and CAP_SYS_ADMIN (cleared from its bounding set with
     * setpriv(1)) but with CAP_BPF and CAP_PERFMON. Whatever the kernel refuses it with EPERM is
     * explained by the capability it lacks; it blames policy only for what this process, which
     * has every capability, is refused too.
     */
    @Test
    void aChildWithoutNetAdminIsToldWhatItLacks() throws Exception {
        Path setpriv = Need.tool("setpriv"); // util-linux: drops capabilities for the child
        assertTrue(caps.programType(ProgramType.XDP).supported(), "XDP here: " + caps.programType(ProgramType.XDP));
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String drop = "-net_admin,-sys_admin";
        List<String> cmd = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=" + drop, "--inh-caps=" + drop, "--", java));
        if (Runtime.version().feature() >= 22) cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(List.of("-cp", cp, Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        long eff = Long.parseUnsignedLong(line(out, "CapEff=").substring(7), 16);
        assertFalse(has(eff, CAP_NET_ADMIN) || has(eff, CAP_SYS_ADMIN), "setpriv left the capabilities: " + Long.toHexString(eff));
        assertTrue(has(eff, CAP_BPF) && has(eff, CAP_PERFMON), Long.toHexString(eff));

        String xdp = line(out, "programType XDP=");
        assertTrue(xdp.contains("not permitted") && xdp.contains("lacks CAP_NET_ADMIN (or CAP_SYS_ADMIN); grant it (in Docker: --cap-add NET_ADMIN)"), xdp);
        // The child is root (euid 0) without the capability: telling it to run as root would not help.
        assertFalse(xdp.contains("run as root"), xdp);
        assertEquals("programType SOCKET_FILTER=supported", line(out, "programType SOCKET_FILTER="));

        Map<String, Support> mine = new java.util.HashMap<>();
        caps.operations().forEach((k, v) -> mine.put("operation " + k, v));
        caps.mapTypes().forEach((k, v) -> mine.put("mapType " + k, v));
        caps.programTypes().forEach((k, v) -> mine.put("programType " + k, v));
        caps.attachTypes().forEach((k, v) -> mine.put("attachType " + k, v));
        caps.linkTypes().forEach((k, v) -> mine.put("linkType " + k, v));
        List<String> wrong = new ArrayList<>();
        int lacking = 0;
        for (String l : out.split("\n")) {
            int eq = l.indexOf('=');
            if (eq < 0 || !mine.containsKey(l.substring(0, eq))) continue;
            String key = l.substring(0, eq);
            String child = l.substring(eq + 1);
            if (!child.contains("EPERM")) continue;
            if (child.contains("no capability is missing")) {
                if (mine.get(key).supported()) wrong.add(key + ": blames policy, but a process with every capability has it: " + child);
            } else if (child.contains("lacks")) {
                lacking++;
                if (child.contains("lacks CAP_BPF") || child.contains("lacks CAP_PERFMON") || child.contains("and CAP_BPF")
                        || child.contains("and CAP_PERFMON")) wrong.add(key + ": the child has those: " + child);
            } else if (mine.get(key).supported()) {
                wrong.add(key + ": EPERM without saying what is missing: " + child);
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(lacking > 10, "only " + lacking + " entries explained by a missing capability:\n" + out);
        System.out.println("child entries refused for a missing capability: " + lacking);
    }

    private static String line(String out, String prefix) {
        for (String l : out.split("\n")) {
            if (l.startsWith(prefix)) return l;
        }
        throw new AssertionError("no " + prefix + " in child output:\n" + out);
    }

    /** Runs in the child JVM: prints its CapEff and its whole report, one entry a line. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            System.out.println("CapEff=" + Long.toHexString(capEff()));
            // Not through the provider: its availability check walks ids, which needs CAP_SYS_ADMIN.
            try (LinuxBpf b = new LinuxBpf(NativeBinding.load().syscalls())) {
                Capabilities c = b.capabilities();
                c.operations().forEach((k, v) -> System.out.println("operation " + k + "=" + v));
                c.mapTypes().forEach((k, v) -> System.out.println("mapType " + k + "=" + v));
                c.programTypes().forEach((k, v) -> System.out.println("programType " + k + "=" + v));
                c.attachTypes().forEach((k, v) -> System.out.println("attachType " + k + "=" + v));
                c.linkTypes().forEach((k, v) -> System.out.println("linkType " + k + "=" + v));
            }
        }
    }
}
