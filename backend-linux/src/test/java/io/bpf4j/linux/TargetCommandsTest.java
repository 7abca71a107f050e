package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import io.bpf4j.linux.internal.uapi.PerfEventAttrs;
import io.bpf4j.linux.internal.Kernel;
import io.bpf4j.linux.internal.TargetCommands;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening targets, removing pins and the fd-0 rule, through a fake chokepoint and a fake sysfs
 * PMU tree: no root, no kernel.
 */
class TargetCommandsTest {
    private final FakeSyscalls fake = new FakeSyscalls();
    private final LinuxBpf bpf = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));

    @Test
    void directoriesAreOpenedReadOnlyCloseOnExec() {
        fake.openAnswer = 7;
        assertEquals(7, bpf.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/unified/x")));
        assertEquals(7, bpf.openTarget(new AttachTarget.Netns("/run/netns/t")));
        assertEquals(List.of("open /sys/fs/cgroup/unified/x", "open /run/netns/t"), fake.other);
        fake.openAnswer = -2;
        BpfException e = assertThrows(BpfException.class, () -> bpf.openTarget(new AttachTarget.Cgroup("/nope")));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open", e.call(), e.getMessage());
        assertTrue(e.getMessage().startsWith("linux: open cgroup /nope: ENOENT"), e.getMessage());
    }

    @Test
    void descriptorZeroIsMovedAboveTheStandardStreams() {
        // stdin closed: the kernel hands out 0 for the next descriptor. The backend must dup it
        // with F_DUPFD_CLOEXEC and close 0, for every call that makes a descriptor.
        fake.openAnswer = 0;
        assertEquals(3, bpf.openTarget(new AttachTarget.Cgroup("/sys/fs/cgroup/unified/x")));
        assertEquals(List.of("open /sys/fs/cgroup/unified/x", "dup 0", "close 0"), fake.other);
        fake.other.clear();
        fake.script = (f, cmd, a) -> cmd == LinuxUapi.cmd(Operation.MAP_CREATE) ? 0 : -22;
        assertEquals(3, bpf.mapCreate(MapSpec.of(MapType.HASH, 4, 4, 1)));
        assertEquals(List.of("dup 0", "close 0"), fake.other);
        fake.other.clear();
        fake.perfAnswer = 0;
        assertEquals(3, bpf.openTarget(new AttachTarget.PerfEvent(1, 0, 1000, 0, -1, 0)));
        assertEquals(List.of("perf_event_open", "dup 0", "close 0"), fake.other);
        fake.other.clear();
        fake.script = (f, cmd, a) -> cmd == LinuxUapi.cmd(Operation.LINK_CREATE) ? 0 : -22;
        assertEquals(3, bpf.linkCreate(io.bpf4j.api.LinkSpec.of(5, 1, io.bpf4j.api.AttachType.XDP, 0)));
        assertEquals(List.of("dup 0", "close 0"), fake.other);
    }

    @Test
    void genericPerfEventsNeedACpuForEveryProcess() {
        fake.perfAnswer = 9;
        assertThrows(IllegalArgumentException.class, () -> bpf.openTarget(new AttachTarget.PerfEvent(1, 0, 1, 0, -1, -1)));
        assertThrows(IllegalArgumentException.class, () -> bpf.openTarget(new AttachTarget.PerfEvent(1, 0, 1, 5, -1, 0)));
        assertEquals(9, bpf.openTarget(new AttachTarget.PerfEvent(1, 0, 0, 99, -1, 1)));
        ByteBuffer a = fake.lastPerfAttr;
        assertEquals(1, a.getInt(PerfEventAttrs.TYPE));
        assertEquals(PerfEventAttrs.SIZE, a.getInt(PerfEventAttrs.SIZE_FIELD));
        assertEquals(99, a.getLong(PerfEventAttrs.SAMPLE_PERIOD));
        assertEquals(PerfEventAttrs.FREQ_BIT, a.getLong(PerfEventAttrs.FLAGS), "freq set, disabled clear");
        assertEquals(-1, fake.lastPerfPid);
        assertEquals(1, fake.lastPerfCpu);
    }

    @Test
    void probesUseTheirPmuTypeRetprobeBitNameAndOffset(@TempDir Path sysfs) throws Exception {
        Files.createDirectories(sysfs.resolve("uprobe/format"));
        Files.writeString(sysfs.resolve("uprobe/type"), "8\n");
        Files.writeString(sysfs.resolve("uprobe/format/retprobe"), "config:0\n");
        LinuxBpf b = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));
        TargetCommands t = new TargetCommands(new Kernel(fake, 2, FakeKernelTest.all(Support.YES)), sysfs);
        fake.perfAnswer = 11;
        assertEquals(11, t.open(new AttachTarget.Uprobe("/usr/lib/libc.so.6", 0x1234, true, -1)));
        ByteBuffer a = fake.lastPerfAttr;
        assertEquals(8, a.getInt(PerfEventAttrs.TYPE));
        assertEquals(1, a.getLong(PerfEventAttrs.CONFIG), "the retprobe bit");
        assertEquals(0x1234, a.getLong(PerfEventAttrs.CONFIG2));
        assertEquals("/usr/lib/libc.so.6", fake.cString(a.getLong(PerfEventAttrs.CONFIG1)), "config1 points at the path");
        assertEquals(-1, fake.lastPerfPid);
        assertEquals(0, fake.lastPerfCpu, "every process: opened on CPU 0, runs on all");
        assertEquals(11, t.open(new AttachTarget.Uprobe("/bin/true", 16, false, 4242)));
        assertEquals(0, fake.lastPerfAttr.getLong(PerfEventAttrs.CONFIG));
        assertEquals(4242, fake.lastPerfPid);
        assertEquals(-1, fake.lastPerfCpu, "one process: every CPU");
        // No kprobe PMU in this tree: unsupported, saying what is missing, before any call.
        int calls = fake.other.size();
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class,
                () -> t.open(new AttachTarget.Kprobe("vfs_read", 0, false)));
        assertTrue(e.reason().contains("kernel has no kprobe PMU") && e.reason().contains("CONFIG_KPROBES"), e.reason());
        assertEquals(calls, fake.other.size());
        b.close();
    }

    @Test
    void pinsAreUnlinkedOnlyOnBpffs(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bpf.objUnpin(dir.resolve("x").toString()));
        assertTrue(e.getMessage().contains("not on bpffs"), e.getMessage());
        assertTrue(fake.other.isEmpty(), "refused before unlink(2)");
        assertThrows(IllegalArgumentException.class, () -> bpf.objUnpin(""));
    }
}
