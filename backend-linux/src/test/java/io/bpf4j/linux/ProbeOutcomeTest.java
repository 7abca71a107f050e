package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.sys.NativeBinding;
import io.bpf4j.linux.internal.sys.Syscalls;
import io.bpf4j.testsupport.LeakCheck;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A capability probe that cannot finish (here: no descriptor left for its probe map) is
 * inconclusive: it must neither refuse the command with {@link BpfUnsupportedException} nor be
 * remembered, so everything works again once descriptors are free.
 */
@ExtendWith(LeakCheck.class)
class ProbeOutcomeTest {

    @Test
    void exhaustedDescriptorsAreNotRememberedAsUnsupported() throws Exception {
        // The truth, probed with descriptors to spare by an instance of its own.
        Capabilities truth;
        try (LinuxBpf ref = RealKernel.open()) {
            truth = ref.capabilities();
        }
        preloadClasses(); // from here on, loading a class from a directory would need a descriptor

        LinuxBpf bpf = RealKernel.open();
        byte[] key = MapCommandsTest.u32(7);
        int map = bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 8)); // probes MAP_CREATE and HASH only
        Throwable lookup = null;
        Throwable create = null;
        boolean found = false;
        Capabilities during;
        int filled;
        try (Filler f = new Filler()) {
            filled = f.fill();
            // Nothing is asserted while the table is full: a failed assertion may need a descriptor.
            try {
                found = bpf.mapLookupElem(map, key, new byte[4], 0);
            } catch (RuntimeException e) {
                lookup = e;
            }
            try {
                bpf.closeFd(bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
            } catch (RuntimeException e) {
                create = e;
            }
            during = bpf.capabilities();
        }
        try {
            assertTrue(filled > 0, "the descriptor table was not filled");
            // The lookup needs no descriptor: it works, or at worst fails with the kernel's errno.
            if (lookup != null) {
                assertFalse(lookup instanceof BpfUnsupportedException, "lookup refused: " + lookup);
                assertEquals(Errno.EMFILE, ((BpfException) lookup).errno(), lookup.toString());
            } else {
                assertFalse(found, "nothing was stored under the key");
            }
            // A create needs one: the kernel's EMFILE, not "unsupported".
            assertNotNull(create, "a map was created with no descriptor free");
            assertFalse(create instanceof BpfUnsupportedException, "create refused: " + create);
            assertEquals(Errno.EMFILE, ((BpfException) create).errno(), create.toString());
            // The report taken meanwhile calls nothing unsupported the kernel supports.
            List<String> wrong = new ArrayList<>();
            for (String e : wronglyUnsupported(truth, during)) wrong.add("during: " + e);
            assertEquals(List.of(), wrong);
            assertFalse(during.conclusive(), "no probe met the full table");
            assertFalse(during == bpf.capabilities(), "a report with inconclusive entries was cached");
            System.out.println("with " + filled + " descriptors taken, unknown entries: " + unknowns(during).size());

            // With descriptors free again, everything works and the report is the truth.
            byte[] v = MapCommandsTest.u32(42);
            bpf.mapUpdateElem(map, key, v, 0);
            byte[] back = new byte[4];
            assertTrue(bpf.mapLookupElem(map, key, back, 0));
            assertEquals(42, MapCommandsTest.u32(back, 0));
            bpf.closeFd(bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
            Capabilities after = bpf.capabilities();
            assertEquals(List.of(), wronglyUnsupported(truth, after));
            assertEquals(List.of(), wronglyUnsupported(after, truth), "supported after, unsupported in the truth");
            assertSame(after, bpf.capabilities(), "a conclusive report is cached");
        } finally {
            bpf.closeFd(map);
            bpf.close();
        }
    }

    private static final int CREATE = LinuxUapi.cmd(Operation.MAP_CREATE);
    private static final int LOAD = LinuxUapi.cmd(Operation.PROG_LOAD);
    private static final int FD = 99_999;

    /** A kernel (fake) that has HASH maps and nothing else, with EMFILE on map creation while {@code full[0]}. */
    @Test
    void anInconclusiveProbeIsNeitherCachedNorEnforced() {
        FakeSyscalls fake = new FakeSyscalls();
        boolean[] full = {true};
        fake.script = (f, cmd, a) -> cmd != CREATE ? -22 : full[0] ? -24
                : a.getInt(0) == LinuxUapi.mapType(MapType.HASH) ? FD : -22;
        LinuxBpf bpf = new LinuxBpf(fake, 1);
        Support s = bpf.capabilities().mapType(MapType.HASH);
        assertFalse(s.supported());
        assertFalse(s.known(), s.toString());
        assertTrue(s.reason().contains("EMFILE"), s.reason());
        assertTrue(s.toString().startsWith("unknown: "), s.toString());
        Capabilities first = bpf.capabilities();
        assertFalse(first.conclusive());
        assertNotSame(first, bpf.capabilities(), "a report with unknown entries was kept");
        // The command is made, and the kernel's own error is what the caller sees.
        int before = fake.count(CREATE);
        BpfException e = assertThrows(BpfException.class, () -> bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1)));
        assertFalse(e instanceof BpfUnsupportedException, e.toString());
        assertEquals(Errno.EMFILE, e.errno());
        assertEquals(Operation.MAP_CREATE, e.operation());
        assertTrue(fake.count(CREATE) > before, "the create never reached the kernel");
        // Descriptors free again: the same entries are probed again and now decided.
        full[0] = false;
        assertTrue(bpf.capabilities().mapType(MapType.HASH).supported());
        Capabilities after = bpf.capabilities();
        assertTrue(after.conclusive(), "still unknown: " + unknowns(after));
        assertSame(after, bpf.capabilities());
        assertEquals(FD, bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1)));
        assertFalse(after.mapType(MapType.ARRAY).supported());
        int calls = fake.calls.size();
        assertThrows(BpfUnsupportedException.class, () -> bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1)));
        assertEquals(calls, fake.calls.size(), "a conclusive no refuses before any native call");
    }

    /**
     * An entry decided from another (an attach type from its program type) is not decided from
     * an unknown one: it is unknown too, and the command goes through.
     */
    @Test
    void anEntryDependingOnAnUnknownOneIsUnknown() {
        FakeSyscalls fake = new FakeSyscalls();
        boolean[] interrupted = {true};
        fake.script = (f, cmd, a) -> cmd == CREATE ? FD : cmd == LOAD ? (interrupted[0] ? -4 : FD) : -22;
        LinuxBpf bpf = new LinuxBpf(fake, 1);
        Support xdp = bpf.capabilities().attachType(io.bpf4j.api.AttachType.XDP);
        assertFalse(xdp.known(), xdp.toString());
        assertTrue(xdp.reason().contains("EINTR"), xdp.reason());
        BpfException e = assertThrows(BpfException.class,
                () -> bpf.progLoad(ProgramSpec.of(ProgramType.XDP, Insn.ret(2), "GPL")));
        assertFalse(e instanceof BpfUnsupportedException, e.toString());
        assertEquals(Errno.EINTR, e.errno());
        interrupted[0] = false;
        assertTrue(bpf.capabilities().programType(ProgramType.XDP).supported());
        assertTrue(bpf.capabilities().attachType(io.bpf4j.api.AttachType.XDP).supported());
    }

    /** A probe that fails in a way it did not expect is unknown, not "unsupported". */
    @Test
    void anUnexpectedFailureInAProbeIsUnknown() {
        FakeSyscalls fake = new FakeSyscalls();
        boolean[] broken = {true};
        fake.script = (f, cmd, a) -> {
            if (broken[0]) throw new IllegalStateException("binding broke");
            return cmd == CREATE ? FD : -22;
        };
        LinuxBpf bpf = new LinuxBpf(fake, 1);
        Support s = bpf.capabilities().operation(Operation.MAP_LOOKUP_ELEM);
        assertFalse(s.known(), s.toString());
        assertTrue(s.reason().contains("binding broke"), s.reason());
        broken[0] = false;
        assertTrue(bpf.capabilities().mapType(MapType.HASH).supported());
        assertTrue(bpf.capabilities().conclusive());
    }

    /** Unknown entries of a report handed to the backend are probed, the others trusted. */
    @Test
    void unknownEntriesOfAPresetAreProbed() {
        Capabilities.Builder b = Capabilities.builder();
        for (Operation o : Operation.values()) b.operation(o, Support.YES);
        for (MapType t : MapType.values()) b.mapType(t, t == MapType.HASH ? Support.unknown("probe inconclusive") : Support.YES);
        for (ProgramType t : ProgramType.values()) b.programType(t, Support.YES);
        for (io.bpf4j.api.AttachType t : io.bpf4j.api.AttachType.values()) b.attachType(t, Support.YES);
        for (io.bpf4j.api.LinkType t : io.bpf4j.api.LinkType.values()) b.linkType(t, Support.YES);
        Capabilities preset = b.build();
        FakeSyscalls fake = new FakeSyscalls();
        fake.script = (f, cmd, a) -> cmd == CREATE && a.getInt(0) == LinuxUapi.mapType(MapType.HASH) ? -22 : FD;
        LinuxBpf bpf = new LinuxBpf(fake, 1, preset);
        Capabilities c = bpf.capabilities();
        assertNotSame(preset, c);
        assertTrue(c.mapType(MapType.HASH).known());
        assertFalse(c.mapType(MapType.HASH).supported(), "the kernel refused HASH with EINVAL");
        assertTrue(c.mapType(MapType.ARRAY).supported());
        assertEquals(1, fake.count(CREATE), "only the unknown entry was probed");
    }

    @Test
    void supportHasThreeOutcomes() {
        assertTrue(Support.YES.known());
        assertTrue(Support.no("x").known());
        assertFalse(Support.unknown("x").known());
        assertFalse(Support.unknown("x").supported());
        assertEquals(Support.no("x"), new Support(false, "x", true));
        assertThrows(IllegalArgumentException.class, () -> new Support(true, null, false));
        assertThrows(NullPointerException.class, () -> Support.unknown(null));
    }

    private static List<String> unknowns(Capabilities c) {
        List<String> out = new ArrayList<>();
        c.operations().forEach((k, v) -> {
            if (!v.known()) out.add(k + ": " + v);
        });
        c.mapTypes().forEach((k, v) -> {
            if (!v.known()) out.add(k + ": " + v);
        });
        c.programTypes().forEach((k, v) -> {
            if (!v.known()) out.add(k + ": " + v);
        });
        c.attachTypes().forEach((k, v) -> {
            if (!v.known()) out.add(k + ": " + v);
        });
        c.linkTypes().forEach((k, v) -> {
            if (!v.known()) out.add(k + ": " + v);
        });
        return out;
    }

    /** Entries {@code truth} supports and {@code report} says are unsupported, conclusively. */
    static List<String> wronglyUnsupported(Capabilities truth, Capabilities report) {
        List<String> out = new ArrayList<>();
        collect("operation", truth.operations(), report.operations(), out);
        collect("map type", truth.mapTypes(), report.mapTypes(), out);
        collect("program type", truth.programTypes(), report.programTypes(), out);
        collect("attach type", truth.attachTypes(), report.attachTypes(), out);
        collect("link type", truth.linkTypes(), report.linkTypes(), out);
        return out;
    }

    private static <E> void collect(String kind, Map<E, Support> truth, Map<E, Support> report, List<String> out) {
        truth.forEach((k, t) -> {
            Support r = report.get(k);
            if (t.supported() && !r.supported() && r.known()) out.add(kind + " " + k + ": " + r);
        });
    }

    /**
     * Loads every class in the class path's directories, so that no class load opens a file
     * while the descriptor table is full (classes in jars are read through descriptors already
     * open).
     */
    static void preloadClasses() throws IOException {
        ClassLoader cl = ProbeOutcomeTest.class.getClassLoader();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (!Files.isDirectory(dir)) continue;
            try (var s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String rel = dir.relativize(p).toString();
                    if (!rel.endsWith(".class") || rel.endsWith("module-info.class")) continue;
                    String name = rel.substring(0, rel.length() - 6).replace(java.io.File.separatorChar, '.');
                    try {
                        Class.forName(name, false, cl);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // a class for another JDK (the FFM binding on 17) or another module: not needed here
                    }
                }
            }
        }
    }

    /** Fills this process' descriptor table with duplicates of /dev/null, and empties it again. */
    static final class Filler implements AutoCloseable {
        private final Syscalls sys = NativeBinding.load().syscalls();
        private int[] fds = new int[1024];
        private int n;

        /** Duplicates until the kernel says EMFILE; returns how many were made. */
        int fill() {
            ByteBuffer path = ByteBuffer.allocateDirect(16);
            path.put("/dev/null".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
            int base = sys.open(sys.address(path), 0x80000 /* O_RDONLY | O_CLOEXEC */, 0);
            if (base < 0) throw new IllegalStateException("open /dev/null: errno " + -base);
            add(base);
            while (true) {
                int fd = sys.dupCloexec(base);
                if (fd == -24) return n;
                if (fd < 0) throw new IllegalStateException("dup: errno " + -fd);
                add(fd);
            }
        }

        private void add(int fd) {
            if (n == fds.length) fds = java.util.Arrays.copyOf(fds, n * 2);
            fds[n++] = fd;
        }

        @Override
        public void close() {
            for (int i = n - 1; i >= 0; i--) sys.close(fds[i]);
            n = 0;
        }
    }
}
