package io.bpf4j.linux;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MappedRing;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.RingWaiter;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.internal.spi.KnownMaps;
import io.bpf4j.internal.spi.MapLayout;
import io.bpf4j.linux.internal.Cpus;
import io.bpf4j.linux.internal.EventRings;
import io.bpf4j.linux.internal.InfoCommands;
import io.bpf4j.linux.internal.Kernel;
import io.bpf4j.linux.internal.LinkCommands;
import io.bpf4j.linux.internal.MapCommands;
import io.bpf4j.linux.internal.ObjectCommands;
import io.bpf4j.linux.internal.ProgCommands;
import io.bpf4j.linux.internal.TargetCommands;
import io.bpf4j.linux.internal.sys.Syscalls;
import java.util.Objects;

/**
 * The Linux backend: every {@code bpf()} command over the raw system call, through one
 * replaceable native chokepoint ({@link Syscalls}).
 *
 * <p>Inputs are checked in Java before any native call, by the rules every backend shares
 * ({@code io.bpf4j.internal.rules}); kernel errors become
 * {@link io.bpf4j.api.BpfException}s with the Linux errno; unsupported operations and types
 * throw {@link io.bpf4j.api.BpfUnsupportedException} with the reason probed from this kernel.
 * The element and batch commands on a bare descriptor read the map's layout from the kernel
 * through a private duplicate of the descriptor on every call; owning handles pass the layout
 * they know ({@link KnownMaps}) and make one system call. Nothing is cached by descriptor
 * number. {@link #close()} lets go of every thread's native scratch without waiting: a call in
 * progress keeps the memory it uses until it returns; {@link #closeFd(int)} keeps working after it.
 */
public final class LinuxBpf implements Bpf, KnownMaps {
    private final Kernel k;
    private final MapCommands maps;
    private final ProgCommands progs;
    private final LinkCommands links;
    private final ObjectCommands objects;
    private final InfoCommands info;
    private final TargetCommands targets;
    private final EventRings rings;

    /**
     * A backend over a given native chokepoint (tests pass a fake one to reach error paths).
     *
     * @param syscalls the chokepoint
     * @param possibleCpus the number of possible CPUs, which sizes per-CPU values
     */
    public LinuxBpf(Syscalls syscalls, int possibleCpus) {
        this(syscalls, possibleCpus, null);
    }

    /**
     * A backend that trusts a given capability report instead of probing the kernel: for tests
     * of error paths through a fake chokepoint, or to reuse a report probed before.
     *
     * @param syscalls the chokepoint
     * @param possibleCpus the number of possible CPUs
     * @param capabilities the report to enforce, or null to probe
     */
    public LinuxBpf(Syscalls syscalls, int possibleCpus, Capabilities capabilities) {
        Objects.requireNonNull(syscalls, "syscalls");
        if (possibleCpus < 1) throw new IllegalArgumentException("possibleCpus: must be at least 1");
        k = new Kernel(syscalls, possibleCpus, capabilities);
        info = new InfoCommands(k);
        maps = new MapCommands(k);
        progs = new ProgCommands(k);
        links = new LinkCommands(k);
        objects = new ObjectCommands(k);
        targets = new TargetCommands(k);
        rings = new EventRings(k, info, maps);
    }

    /**
     * A backend over a given native chokepoint, with the CPU count read from
     * {@code /sys/devices/system/cpu/possible}.
     *
     * @param syscalls the chokepoint
     */
    public LinuxBpf(Syscalls syscalls) {
        this(syscalls, Cpus.possible());
    }

    @Override
    public String name() {
        return Kernel.BACKEND;
    }

    @Override
    public Capabilities capabilities() {
        k.enter();
        try {
            return k.gate().capabilities();
        } finally {
            k.exit();
        }
    }

    @Override
    public int possibleCpus() {
        return k.cpus();
    }

    @Override
    public void closeFd(int fd) {
        // Not gated on the backend being open: closing needs only close(2), and handles that
        // outlive the backend must still release their descriptors.
        objects.close(fd);
    }

    @Override
    public int dupFd(int fd) {
        k.enter();
        try {
            return objects.dup(fd);
        } finally {
            k.exit();
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        k.enter();
        try {
            return objects.read(fd, buf, off, len);
        } finally {
            k.exit();
        }
    }

    @Override
    public void close() {
        k.close();
    }

    @Override
    public int mapCreate(MapSpec spec) {
        k.enter();
        try {
            return maps.create(spec);
        } finally {
            k.exit();
        }
    }

    @Override
    public boolean mapLookupElem(int mapFd, byte[] key, byte[] value, long flags) {
        k.enter();
        try {
            return maps.lookup(mapFd, key, value, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public void mapUpdateElem(int mapFd, byte[] key, byte[] value, long flags) {
        k.enter();
        try {
            maps.update(mapFd, key, value, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public boolean mapDeleteElem(int mapFd, byte[] key) {
        k.enter();
        try {
            return maps.delete(mapFd, key);
        } finally {
            k.exit();
        }
    }

    @Override
    public boolean mapGetNextKey(int mapFd, byte[] key, byte[] nextKey) {
        k.enter();
        try {
            return maps.nextKey(mapFd, key, nextKey);
        } finally {
            k.exit();
        }
    }

    @Override
    public boolean mapLookupAndDeleteElem(int mapFd, byte[] key, byte[] value, long flags) {
        k.enter();
        try {
            return maps.lookupAndDelete(mapFd, key, value, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public boolean mapLookupElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        return maps.lookup(mapFd, layout, key, value, flags);
    }

    @Override
    public void mapUpdateElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        maps.update(mapFd, layout, key, value, flags);
    }

    @Override
    public boolean mapDeleteElem(int mapFd, MapLayout layout, byte[] key) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        return maps.delete(mapFd, layout, key);
    }

    @Override
    public boolean mapGetNextKey(int mapFd, MapLayout layout, byte[] key, byte[] nextKey) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        return maps.nextKey(mapFd, layout, key, nextKey);
    }

    @Override
    public boolean mapLookupAndDeleteElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        return maps.lookupAndDelete(mapFd, layout, key, value, flags);
    }

    @Override
    public BatchResult mapLookupBatch(int mapFd, MapLayout layout, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        // MapCommands enters the backend itself, holding the thread's scratch for the call.
        return maps.lookupBatch(mapFd, layout, inBatch, outBatch, keys, values, count, elemFlags, flags);
    }

    @Override
    public void mapFreeze(int mapFd) {
        k.enter();
        try {
            maps.freeze(mapFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public BatchResult mapLookupBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        k.enter();
        try {
            return maps.lookupBatch(Operation.MAP_LOOKUP_BATCH, mapFd, inBatch, outBatch, keys, values, count, elemFlags,
                    flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public BatchResult mapLookupAndDeleteBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        k.enter();
        try {
            return maps.lookupBatch(Operation.MAP_LOOKUP_AND_DELETE_BATCH, mapFd, inBatch, outBatch, keys, values, count,
                    elemFlags, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        k.enter();
        try {
            return maps.updateBatch(mapFd, keys, values, count, elemFlags, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags, long flags) {
        k.enter();
        try {
            return maps.deleteBatch(mapFd, keys, count, elemFlags, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public LoadResult progLoad(ProgramSpec spec) {
        k.enter();
        try {
            return progs.load(Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public TestRunResult progTestRun(int progFd, TestRunSpec spec) {
        k.enter();
        try {
            return progs.testRun(progFd, Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public void progBindMap(int progFd, int mapFd, int flags) {
        k.enter();
        try {
            progs.bindMap(progFd, mapFd, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public int progStreamReadByFd(int progFd, int streamId, byte[] buf) {
        k.enter();
        try {
            return progs.streamRead(progFd, streamId, buf);
        } finally {
            k.exit();
        }
    }

    @Override
    public void progAttach(AttachSpec spec) {
        k.enter();
        try {
            links.attach(Operation.PROG_ATTACH, Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public void progDetach(AttachSpec spec) {
        k.enter();
        try {
            links.attach(Operation.PROG_DETACH, Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public QueryResult progQuery(QuerySpec spec) {
        k.enter();
        try {
            return links.query(Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public int linkCreate(LinkSpec spec) {
        k.enter();
        try {
            return links.create(Objects.requireNonNull(spec, "spec"));
        } finally {
            k.exit();
        }
    }

    @Override
    public void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags) {
        k.enter();
        try {
            links.update(linkFd, newProgFd, oldProgFd, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public void linkDetach(int linkFd) {
        k.enter();
        try {
            links.detach(linkFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        k.enter();
        try {
            return links.rawTracepointOpen(name, progFd, cookie);
        } finally {
            k.exit();
        }
    }

    /**
     * Opens a target: {@code open(2)} for cgroup, network namespace and bpffs paths;
     * {@code perf_event_open(2)} for tracepoints (id from tracefs, which is mounted at
     * {@code /sys/kernel/tracing} when missing), kprobes and uprobes (through their PMUs in
     * {@code /sys/bus/event_source/devices}) and generic perf events. A tracepoint or probe
     * for every process (pid -1) is opened on CPU 0: the program still runs on every CPU.
     *
     * @throws io.bpf4j.api.BpfUnsupportedException when the kernel lacks the PMU or tracefs
     */
    @Override
    public MappedRing ringBufferMap(int mapFd) {
        k.enter();
        try {
            return rings.ringBufferMap(mapFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public io.bpf4j.api.MappedRegion mapMmap(int mapFd, long length, boolean writable) {
        k.enter();
        try {
            return rings.mapMmap(mapFd, length, writable);
        } finally {
            k.exit();
        }
    }

    @Override
    public MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        k.enter();
        try {
            return rings.perfBufferOpen(arrayFd, cpu, pages, wakeup, watermark);
        } finally {
            k.exit();
        }
    }

    @Override
    public RingWaiter ringWaiter() {
        k.enter();
        try {
            return rings.waiter();
        } finally {
            k.exit();
        }
    }

    @Override
    public int interfaceIndex(String name) {
        k.enter();
        try {
            return targets.interfaceIndex(name);
        } finally {
            k.exit();
        }
    }

    @Override
    public int openTarget(AttachTarget target) {
        k.enter();
        try {
            return targets.open(Objects.requireNonNull(target, "target"));
        } finally {
            k.exit();
        }
    }

    /**
     * {@code unlink(2)} of a pin; refuses a path that is not on bpffs.
     *
     * @throws IllegalArgumentException when the path is not on bpffs
     */
    @Override
    public void objUnpin(String path) {
        k.enter();
        try {
            targets.unpin(path);
        } finally {
            k.exit();
        }
    }

    @Override
    public int iterCreate(int linkFd, int flags) {
        k.enter();
        try {
            return links.iterCreate(linkFd, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public void objPin(int fd, String path) {
        k.enter();
        try {
            objects.pin(fd, path);
        } finally {
            k.exit();
        }
    }

    @Override
    public int objGet(String path, int fileFlags) {
        k.enter();
        try {
            return objects.get(path, fileFlags);
        } finally {
            k.exit();
        }
    }

    @Override
    public int progGetNextId(int startId) {
        k.enter();
        try {
            return objects.nextId(Operation.PROG_GET_NEXT_ID, startId);
        } finally {
            k.exit();
        }
    }

    @Override
    public int mapGetNextId(int startId) {
        k.enter();
        try {
            return objects.nextId(Operation.MAP_GET_NEXT_ID, startId);
        } finally {
            k.exit();
        }
    }

    @Override
    public int linkGetNextId(int startId) {
        k.enter();
        try {
            return objects.nextId(Operation.LINK_GET_NEXT_ID, startId);
        } finally {
            k.exit();
        }
    }

    @Override
    public int btfGetNextId(int startId) {
        k.enter();
        try {
            return objects.nextId(Operation.BTF_GET_NEXT_ID, startId);
        } finally {
            k.exit();
        }
    }

    @Override
    public int progGetFdById(int id) {
        k.enter();
        try {
            return objects.fdById(Operation.PROG_GET_FD_BY_ID, id);
        } finally {
            k.exit();
        }
    }

    @Override
    public int mapGetFdById(int id) {
        k.enter();
        try {
            return objects.fdById(Operation.MAP_GET_FD_BY_ID, id);
        } finally {
            k.exit();
        }
    }

    @Override
    public int linkGetFdById(int id) {
        k.enter();
        try {
            return objects.fdById(Operation.LINK_GET_FD_BY_ID, id);
        } finally {
            k.exit();
        }
    }

    @Override
    public int btfGetFdById(int id) {
        k.enter();
        try {
            return objects.fdById(Operation.BTF_GET_FD_BY_ID, id);
        } finally {
            k.exit();
        }
    }

    @Override
    public MapInfo mapGetInfo(int mapFd) {
        k.enter();
        try {
            return info.map(mapFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public ProgramInfo progGetInfo(int progFd) {
        k.enter();
        try {
            return info.program(progFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public long[] progGetXlated(int progFd) {
        k.enter();
        try {
            return info.xlated(progFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public byte[] progGetJited(int progFd) {
        k.enter();
        try {
            return info.jited(progFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public LinkInfo linkGetInfo(int linkFd) {
        k.enter();
        try {
            return info.link(linkFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public BtfInfo btfGetInfo(int btfFd) {
        k.enter();
        try {
            return info.btf(btfFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public byte[] btfGetData(int btfFd) {
        k.enter();
        try {
            return info.btfData(btfFd);
        } finally {
            k.exit();
        }
    }

    @Override
    public LoadResult btfLoad(byte[] btf, int logLevel) {
        k.enter();
        try {
            return objects.btfLoad(btf, logLevel);
        } finally {
            k.exit();
        }
    }

    @Override
    public TaskFdQueryResult taskFdQuery(int pid, int fd, int flags) {
        k.enter();
        try {
            return objects.taskFdQuery(pid, fd, flags);
        } finally {
            k.exit();
        }
    }

    @Override
    public int enableStats(StatsType type) {
        k.enter();
        try {
            return objects.enableStats(type);
        } finally {
            k.exit();
        }
    }

    @Override
    public int tokenCreate(int bpffsFd, int flags) {
        k.enter();
        try {
            return objects.tokenCreate(bpffsFd, flags);
        } finally {
            k.exit();
        }
    }
}
