package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.linux.internal.uapi.BpfAttr;
import io.bpf4j.linux.internal.uapi.PerfEventAttrs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the attach targets that are not BPF objects, and removes pins: cgroup, network
 * namespace and bpffs directories with {@code open(2)}; tracepoints, kprobes, uprobes and
 * generic counters with {@code perf_event_open(2)}; a pin with {@code unlink(2)}. All through
 * the chokepoint, so a fake one reaches every error path.
 *
 * <p>Errors are {@link BpfException}s named by the system call that failed
 * ({@link BpfException#call()} is {@code open}, {@code perf_event_open}, {@code mount} or
 * {@code unlink}; there is no {@code bpf()} command to name); a PMU or tracefs this kernel lacks
 * is a {@link BpfUnsupportedException} of {@link Operation#LINK_CREATE}, what a target is
 * opened for, saying which.
 */
public final class TargetCommands {
    static final int O_RDONLY = 0;
    static final int O_DIRECTORY = 0x10000;
    static final int O_CLOEXEC = 0x80000;
    private static final long MS_NONE = 0;
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");
    private static final Path PMUS = Path.of("/sys/bus/event_source/devices");
    private static final Operation OP = Operation.LINK_CREATE;

    private final Kernel k;
    private final Path pmus;

    /**
     * Creates the family.
     *
     * @param k the shared context
     */
    public TargetCommands(Kernel k) {
        this(k, PMUS);
    }

    /**
     * Creates the family with another sysfs PMU directory (tests point it at a fake tree).
     *
     * @param k the shared context
     * @param pmus where the {@code kprobe} and {@code uprobe} PMU directories are looked for
     */
    public TargetCommands(Kernel k, Path pmus) {
        this.k = k;
        this.pmus = pmus;
    }

    /**
     * Opens a target as a descriptor the caller owns.
     *
     * @param t the target
     * @return the descriptor, never 0
     */
    public int open(AttachTarget t) {
        LinkRules.target(t);
        if (t instanceof AttachTarget.Cgroup) {
            return openPath(((AttachTarget.Cgroup) t).path(), O_DIRECTORY, "cgroup");
        } else if (t instanceof AttachTarget.Netns) {
            return openPath(((AttachTarget.Netns) t).path(), 0, "network namespace");
        } else if (t instanceof AttachTarget.Bpffs) {
            return openPath(((AttachTarget.Bpffs) t).path(), O_DIRECTORY, "bpffs");
        } else if (t instanceof AttachTarget.Tracepoint) {
            return tracepoint((AttachTarget.Tracepoint) t);
        } else if (t instanceof AttachTarget.Kprobe) {
            return kprobe((AttachTarget.Kprobe) t);
        } else if (t instanceof AttachTarget.Uprobe) {
            return uprobe((AttachTarget.Uprobe) t);
        } else if (t instanceof AttachTarget.PerfEvent) {
            return perfEvent((AttachTarget.PerfEvent) t);
        }
        throw new IllegalArgumentException("target: unknown kind " + t.getClass().getName());
    }

    private static byte[] pathBytes(String path, String param) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        if (b.length >= ObjRules.PATH_MAX) throw new IllegalArgumentException(param + ": longer than PATH_MAX");
        return b;
    }

    /**
     * An interface's index by name ({@code if_nametoindex}).
     *
     * @param name the name, at most 15 bytes ({@code IFNAMSIZ} - 1, {@code include/uapi/linux/if.h})
     * @return the index
     */
    public int interfaceIndex(String name) {
        ObjRules.interfaceName(name);
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > 15) throw new IllegalArgumentException("name: '" + name + "' is longer than Linux's 15-byte interface names");
        k.gate.require(Operation.INTERFACE_INDEX);
        long rc = k.sys.ifNameToIndex(cString(k.scratch(), Scratch.AUX, b));
        if (rc == -19) throw new IllegalArgumentException("name: no interface '" + name + "' in this network namespace");
        if (rc < 0) throw SysError.of("if_nametoindex", "interface '" + name + "'", rc, "");
        return (int) rc;
    }

    /** Writes a NUL-terminated string into a scratch slot and returns its address. */
    private static long cString(Scratch s, int slot, byte[] b) {
        long a = s.reserve(slot, b.length + 1);
        s.buf(slot).put(0, b);
        return a;
    }

    private int openPath(String path, int extraFlags, String what) {
        Scratch s = k.scratch();
        long a = cString(s, Scratch.AUX2, pathBytes(path, "path"));
        long fd = k.fd(k.sys.open(a, O_RDONLY | O_CLOEXEC | extraFlags, 0));
        if (fd < 0) throw SysError.of("open", what + " " + path, fd, null);
        return (int) fd;
    }

    // ------------------------------------------------------------------ perf events

    /**
     * A BPF program on a tracepoint or probe event runs for every CPU and process the event
     * matches, whatever CPU the event was opened on (the program hangs off the trace event,
     * not the perf event). perf_event_open refuses pid -1 with cpu -1, so "every process" is
     * opened on CPU 0, as libbpf and cilium/ebpf do.
     */
    private static int cpuFor(int pid, int cpu) {
        return pid == -1 && cpu == -1 ? 0 : cpu;
    }

    private int tracepoint(AttachTarget.Tracepoint t) {
        Path events = tracefs().resolve("events");
        Path idFile = events.resolve(t.category()).resolve(t.name()).resolve("id");
        long id;
        try {
            id = Long.parseLong(Files.readString(idFile).strip());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BpfException(Kernel.BACKEND, "open", "tracepoint " + t.category() + "/" + t.name(), Errno.ENOENT, 2,
                    "no such tracepoint: " + idFile + " does not exist");
        } catch (IOException | NumberFormatException e) {
            throw new BpfException(Kernel.BACKEND, "read", "tracepoint " + t.category() + "/" + t.name(), Errno.EIO, 5,
                    "cannot read " + idFile + ": " + e);
        }
        return perfEventOpen(PerfEventAttrs.TYPE_TRACEPOINT, id, null, 0, 0, 0, t.pid(), cpuFor(t.pid(), t.cpu()),
                "tracepoint " + t.category() + "/" + t.name());
    }

    /** The tracefs root, mounting tracefs at /sys/kernel/tracing when nothing is mounted. */
    private Path tracefs() {
        if (Files.isDirectory(TRACEFS.resolve("events"))) return TRACEFS;
        if (Files.isDirectory(DEBUGFS_TRACING.resolve("events"))) return DEBUGFS_TRACING;
        if (!Files.isDirectory(TRACEFS)) {
            throw new BpfUnsupportedException(Kernel.BACKEND, OP, "kernel has no tracefs (" + TRACEFS
                    + " does not exist: CONFIG_TRACING off), which tracepoint targets need");
        }
        Scratch s = k.scratch();
        long src = cString(s, Scratch.AUX, "nodev".getBytes(StandardCharsets.US_ASCII));
        long dir = cString(s, Scratch.AUX2, TRACEFS.toString().getBytes(StandardCharsets.US_ASCII));
        long fstype = cString(s, Scratch.DATA, "tracefs".getBytes(StandardCharsets.US_ASCII));
        int rc = k.sys.mount(src, dir, fstype, MS_NONE, 0);
        if (rc < 0) {
            throw SysError.of("mount", "tracefs", rc, "tracefs is not mounted and mounting it at " + TRACEFS + " failed");
        }
        return TRACEFS;
    }

    private int kprobe(AttachTarget.Kprobe t) {
        Pmu pmu = pmu("kprobe", "kernel has no kprobe PMU (" + pmus.resolve("kprobe")
                + " does not exist: CONFIG_KPROBES or CONFIG_KPROBE_EVENTS off), so kprobe targets cannot be opened");
        Kallsyms.requireFunctions(new String[] {t.symbol()}, "symbol");
        long config = t.isReturn() ? pmu.retprobeBit("kretprobe") : 0;
        return probe(pmu, config, t.symbol(), t.offset(), -1, "kprobe " + t.symbol());
    }

    private int uprobe(AttachTarget.Uprobe t) {
        Pmu pmu = pmu("uprobe", "kernel has no uprobe PMU (" + pmus.resolve("uprobe")
                + " does not exist: CONFIG_UPROBES or CONFIG_UPROBE_EVENTS off), so uprobe targets cannot be opened");
        long config = t.isReturn() ? pmu.retprobeBit("uretprobe") : 0;
        return probe(pmu, config, t.path(), t.offset(), t.pid(), "uprobe " + t.path() + "+0x" + Long.toHexString(t.offset()));
    }

    private int probe(Pmu pmu, long config, String name, long offset, int pid, String object) {
        return perfEventOpen(pmu.type, config, pathBytes(name, "name"), offset, 0, 0, pid, cpuFor(pid, -1), object);
    }

    private int perfEvent(AttachTarget.PerfEvent t) {
        return perfEventOpen(t.type(), t.config(), null, 0, t.samplePeriod(), t.sampleFrequency(), t.pid(), t.cpu(),
                "perf event type " + t.type() + " config " + t.config());
    }

    /**
     * {@code perf_event_open}. The name behind {@code config1} lives in a scratch slot that
     * stays untouched until the call returns, which is as long as the kernel reads it.
     */
    private int perfEventOpen(int type, long config, byte[] name, long config2, long period, long freq, int pid, int cpu,
            String object) {
        Scratch s = k.scratch();
        long nameAddr = name == null ? 0 : cString(s, Scratch.AUX, name);
        long attr = s.reserve(Scratch.DATA4, PerfEventAttrs.SIZE);
        PerfEventAttrs.encode(s.buf(Scratch.DATA4), type, config, nameAddr, config2, period, freq);
        long fd = k.fd(k.sys.perfEventOpen(attr, pid, cpu, -1, PerfEventAttrs.FLAG_FD_CLOEXEC));
        if (fd < 0) throw SysError.of("perf_event_open", object, fd, "pid " + pid + ", cpu " + cpu);
        return (int) fd;
    }

    /** A dynamic PMU: its type number and its directory. */
    private static final class Pmu {
        final int type;
        final Path dir;

        Pmu(int type, Path dir) {
            this.type = type;
            this.dir = dir;
        }

        /** The config bit {@code format/retprobe} names ({@code config:0} on every kernel so far). */
        long retprobeBit(String what) {
            Path f = dir.resolve("format/retprobe");
            try {
                String v = Files.readString(f).strip();
                if (!v.startsWith("config:")) throw new NumberFormatException(v);
                return 1L << Integer.parseInt(v.substring("config:".length()));
            } catch (IOException | NumberFormatException e) {
                throw new BpfUnsupportedException(Kernel.BACKEND, OP, "kernel cannot open a " + what + ": "
                        + f + " is missing or unreadable (" + e.getMessage() + ")");
            }
        }
    }

    private Pmu pmu(String name, String missing) {
        Path dir = pmus.resolve(name);
        Path typeFile = dir.resolve("type");
        if (!Files.exists(typeFile)) throw new BpfUnsupportedException(Kernel.BACKEND, OP, missing);
        try {
            return new Pmu(Integer.parseInt(Files.readString(typeFile).strip()), dir);
        } catch (IOException | NumberFormatException e) {
            throw new BpfUnsupportedException(Kernel.BACKEND, OP, "cannot read the " + name + " PMU type from " + typeFile
                    + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ pins

    /**
     * Removes a pin with {@code unlink(2)}, after checking the path is on bpffs: an unlink
     * anywhere else would delete an ordinary file.
     *
     * @param path the pin
     */
    public void unpin(String path) {
        ObjRules.unpin(path);
        Path p = Path.of(path).toAbsolutePath().normalize();
        String fs = fileSystemOf(p);
        if (fs != null && !fs.equals("bpf")) {
            throw new IllegalArgumentException("path: " + path + " is not on bpffs (its file system is " + fs
                    + "); refusing to unlink it");
        }
        Scratch s = k.scratch();
        long a = cString(s, Scratch.AUX, pathBytes(p.toString(), "path"));
        int rc = k.sys.unlink(a);
        if (rc < 0) throw SysError.of("unlink", "pin " + path, rc, null);
    }

    /**
     * The type of the file system holding {@code p} (or, when it does not exist, its nearest
     * existing parent), or null when that cannot be told.
     */
    static String fileSystemOf(Path p) {
        for (Path q = p; q != null; q = q.getParent()) {
            if (!Files.exists(q, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            try {
                return Files.getFileStore(q).type();
            } catch (IOException | SecurityException e) {
                return null;
            }
        }
        return null;
    }
}
