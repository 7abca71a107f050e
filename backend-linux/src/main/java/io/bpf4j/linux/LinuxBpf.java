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
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.linux.internal.Cpus;
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
 * Map shapes are cached per descriptor so the element commands check sizes without a syscall
 * and allocate nothing; the cache entry is dropped by {@link #closeFd(int)}.
 */
public final class LinuxBpf implements Bpf {
    private final Kernel k;
    private final MapCommands maps;
    private final ProgCommands progs;
    private final LinkCommands links;
    private final ObjectCommands objects;
    private final InfoCommands info;
    private final TargetCommands targets;
    private volatile boolean closed;

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
        maps = new MapCommands(k, info);
        progs = new ProgCommands(k);
        links = new LinkCommands(k);
        objects = new ObjectCommands(k);
        targets = new TargetCommands(k);
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

    private void open() {
        if (closed) throw new IllegalStateException("linux backend is closed");
    }

    @Override
    public String name() {
        return Kernel.BACKEND;
    }

    @Override
    public Capabilities capabilities() {
        open();
        return k.gate().capabilities();
    }

    @Override
    public int possibleCpus() {
        return k.cpus();
    }

    @Override
    public void closeFd(int fd) {
        open();
        objects.close(fd);
    }

    @Override
    public int dupFd(int fd) {
        open();
        return objects.dup(fd);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        open();
        return objects.read(fd, buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public int mapCreate(MapSpec spec) {
        open();
        MapRules.create(spec);
        return maps.create(spec);
    }

    @Override
    public boolean mapLookupElem(int mapFd, byte[] key, byte[] value, long flags) {
        open();
        return maps.lookup(mapFd, key, value, flags);
    }

    @Override
    public void mapUpdateElem(int mapFd, byte[] key, byte[] value, long flags) {
        open();
        maps.update(mapFd, key, value, flags);
    }

    @Override
    public boolean mapDeleteElem(int mapFd, byte[] key) {
        open();
        return maps.delete(mapFd, key);
    }

    @Override
    public boolean mapGetNextKey(int mapFd, byte[] key, byte[] nextKey) {
        open();
        return maps.nextKey(mapFd, key, nextKey);
    }

    @Override
    public boolean mapLookupAndDeleteElem(int mapFd, byte[] key, byte[] value, long flags) {
        open();
        return maps.lookupAndDelete(mapFd, key, value, flags);
    }

    @Override
    public void mapFreeze(int mapFd) {
        open();
        maps.freeze(mapFd);
    }

    @Override
    public BatchResult mapLookupBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        open();
        return maps.lookupBatch(Operation.MAP_LOOKUP_BATCH, mapFd, inBatch, outBatch, keys, values, count, elemFlags,
                flags);
    }

    @Override
    public BatchResult mapLookupAndDeleteBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        open();
        return maps.lookupBatch(Operation.MAP_LOOKUP_AND_DELETE_BATCH, mapFd, inBatch, outBatch, keys, values, count,
                elemFlags, flags);
    }

    @Override
    public int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        open();
        return maps.updateBatch(mapFd, keys, values, count, elemFlags, flags);
    }

    @Override
    public int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags, long flags) {
        open();
        return maps.deleteBatch(mapFd, keys, count, elemFlags, flags);
    }

    @Override
    public LoadResult progLoad(ProgramSpec spec) {
        open();
        return progs.load(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public TestRunResult progTestRun(int progFd, TestRunSpec spec) {
        open();
        return progs.testRun(progFd, Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public void progBindMap(int progFd, int mapFd, int flags) {
        open();
        progs.bindMap(progFd, mapFd, flags);
    }

    @Override
    public int progStreamReadByFd(int progFd, int streamId, byte[] buf) {
        open();
        return progs.streamRead(progFd, streamId, buf);
    }

    @Override
    public void progAttach(AttachSpec spec) {
        open();
        links.attach(Operation.PROG_ATTACH, Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public void progDetach(AttachSpec spec) {
        open();
        links.attach(Operation.PROG_DETACH, Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public QueryResult progQuery(QuerySpec spec) {
        open();
        return links.query(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public int linkCreate(LinkSpec spec) {
        open();
        return links.create(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags) {
        open();
        links.update(linkFd, newProgFd, oldProgFd, flags);
    }

    @Override
    public void linkDetach(int linkFd) {
        open();
        links.detach(linkFd);
    }

    @Override
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        open();
        return links.rawTracepointOpen(name, progFd, cookie);
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
    public int openTarget(AttachTarget target) {
        open();
        return targets.open(Objects.requireNonNull(target, "target"));
    }

    /**
     * {@code unlink(2)} of a pin; refuses a path that is not on bpffs.
     *
     * @throws IllegalArgumentException when the path is not on bpffs
     */
    @Override
    public void objUnpin(String path) {
        open();
        targets.unpin(path);
    }

    @Override
    public int iterCreate(int linkFd, int flags) {
        open();
        return links.iterCreate(linkFd, flags);
    }

    @Override
    public void objPin(int fd, String path) {
        open();
        objects.pin(fd, path);
    }

    @Override
    public int objGet(String path, int fileFlags) {
        open();
        return objects.get(path, fileFlags);
    }

    @Override
    public int progGetNextId(int startId) {
        open();
        return objects.nextId(Operation.PROG_GET_NEXT_ID, startId);
    }

    @Override
    public int mapGetNextId(int startId) {
        open();
        return objects.nextId(Operation.MAP_GET_NEXT_ID, startId);
    }

    @Override
    public int linkGetNextId(int startId) {
        open();
        return objects.nextId(Operation.LINK_GET_NEXT_ID, startId);
    }

    @Override
    public int btfGetNextId(int startId) {
        open();
        return objects.nextId(Operation.BTF_GET_NEXT_ID, startId);
    }

    @Override
    public int progGetFdById(int id) {
        open();
        return objects.fdById(Operation.PROG_GET_FD_BY_ID, id);
    }

    @Override
    public int mapGetFdById(int id) {
        open();
        return objects.fdById(Operation.MAP_GET_FD_BY_ID, id);
    }

    @Override
    public int linkGetFdById(int id) {
        open();
        return objects.fdById(Operation.LINK_GET_FD_BY_ID, id);
    }

    @Override
    public int btfGetFdById(int id) {
        open();
        return objects.fdById(Operation.BTF_GET_FD_BY_ID, id);
    }

    @Override
    public MapInfo mapGetInfo(int mapFd) {
        open();
        return info.map(mapFd);
    }

    @Override
    public ProgramInfo progGetInfo(int progFd) {
        open();
        return info.program(progFd);
    }

    @Override
    public LinkInfo linkGetInfo(int linkFd) {
        open();
        return info.link(linkFd);
    }

    @Override
    public BtfInfo btfGetInfo(int btfFd) {
        open();
        return info.btf(btfFd);
    }

    @Override
    public LoadResult btfLoad(byte[] btf, int logLevel) {
        open();
        return objects.btfLoad(btf, logLevel);
    }

    @Override
    public TaskFdQueryResult taskFdQuery(int pid, int fd, int flags) {
        open();
        return objects.taskFdQuery(pid, fd, flags);
    }

    @Override
    public int enableStats(StatsType type) {
        open();
        return objects.enableStats(type);
    }

    @Override
    public int tokenCreate(int bpffsFd, int flags) {
        open();
        return objects.tokenCreate(bpffsFd, flags);
    }
}
