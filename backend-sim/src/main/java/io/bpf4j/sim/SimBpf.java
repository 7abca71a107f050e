package io.bpf4j.sim;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfUnsupportedException;
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
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.internal.rules.ProgRules;
import io.bpf4j.sim.internal.attach.AttachCmds;
import io.bpf4j.sim.internal.attach.HookRunner;
import io.bpf4j.sim.internal.caps.SimCapabilities;
import io.bpf4j.sim.internal.cmd.MapBatch;
import io.bpf4j.sim.internal.cmd.MapCmds;
import io.bpf4j.sim.internal.cmd.ObjCmds;
import io.bpf4j.sim.internal.cmd.ProgCmds;
import io.bpf4j.sim.internal.events.EventCmds;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import io.bpf4j.sim.internal.kernel.SimConfig;
import io.bpf4j.sim.internal.prog.KernelVm;
import java.util.List;
import java.util.Objects;

/**
 * The simulator: an in-memory kernel behind the {@link Bpf} interface. Descriptors, ids, pins,
 * maps, programs (run by an interpreter), attach lists and links behave as on Linux 6.18, with
 * the same errors; the real kernel is the oracle of its tests.
 *
 * <p>Beyond {@link Bpf} it offers what a test needs and a kernel has elsewhere:
 * {@link #faults()} to make operations fail, {@link #hooks()} to feed events (packets, socket
 * creations, tracepoint firings) to the attached programs, {@link #mkdir(String)} for bpffs
 * directories, and {@link #tracePipe()} for what they printed. What programs write to ring
 * buffers and perf event arrays is read with the api's readers
 * ({@code io.bpf4j.api.events.RingBufferReader}, {@code PerfBufferReader}), as on Linux: the
 * simulator keeps both rings in the kernel's byte layout.
 *
 * <p>Simulated targets: a cgroup is a descriptor from {@link #openTarget(AttachTarget)} or an
 * opaque cgroup number the test chooses; a network interface is any positive ifindex. Syscalls
 * run on CPU 0. Get one from {@link Simulator#builder()} or {@code Bpf.open("sim")}.
 *
 * <p>Bad input is refused by the rules every backend shares, before the simulated kernel sees
 * it. After {@link #close()} it behaves as the Linux backend does: every operation throws
 * {@link IllegalStateException} except {@link #closeFd(int)}, so handles closed after the backend
 * still release their descriptors; the leak counters ({@link #openDescriptors()} ...) keep
 * answering.
 */
public final class SimBpf implements Bpf {
    /** Network interfaces by name, as {@code if_nametoindex} would find them; {@code lo} is 1. */
    private final java.util.Map<String, Integer> interfaces = new java.util.LinkedHashMap<>(java.util.Map.of("lo", 1));
    private final Kernel k;
    private final MapCmds maps;
    private final MapBatch batch;
    private final ProgCmds progs;
    private final io.bpf4j.sim.internal.cmd.ProgImages images;
    private final ObjCmds objs;
    private final AttachCmds attach;
    private final Faults faults;
    private final Hooks hooks;
    private final EventCmds events;
    private final Capabilities caps = SimCapabilities.build();

    SimBpf(SimConfig config) {
        this.k = new Kernel(config);
        this.maps = new MapCmds(k);
        this.batch = maps.batch();
        this.progs = new ProgCmds(k);
        this.images = new io.bpf4j.sim.internal.cmd.ProgImages(k);
        this.objs = new ObjCmds(k);
        this.attach = new AttachCmds(k);
        this.faults = new Faults(k);
        this.hooks = new Hooks(new HookRunner(k));
        this.events = new EventCmds(k);
    }

    /**
     * The fault injection of this simulator.
     *
     * @return the faults
     */
    public Faults faults() {
        return faults;
    }

    /**
     * The hooks of this simulator, where a test feeds events to the attached programs.
     *
     * @return the hooks
     */
    public Hooks hooks() {
        return hooks;
    }

    /**
     * Takes the lines {@code bpf_trace_printk} wrote since the last call, from attached programs
     * and test runs alike, as reading {@code /sys/kernel/tracing/trace_pipe} does (the message
     * only, without the kernel's task and timestamp prefix).
     *
     * @return the lines, oldest first
     */
    public List<String> tracePipe() {
        open();
        synchronized (k) {
            return KernelVm.traceLog(k).drain();
        }
    }

    /**
     * Makes a directory on the virtual bpffs, like {@code mkdir(2)}: the parent must exist.
     *
     * @param path an absolute path below the mount point
     * @throws io.bpf4j.api.BpfException EEXIST, ENOENT (no parent) or EPERM (outside the mount)
     */
    public void mkdir(String path) {
        open();
        objs.mkdir(path);
    }

    /**
     * Removes an empty directory of the virtual bpffs, like {@code rmdir(2)}; {@code objUnpin}
     * removes pins only, as {@code unlink(2)} does on Linux.
     *
     * @param path an absolute path below the mount point
     * @throws io.bpf4j.api.BpfException ENOTEMPTY, ENOENT, ENOTDIR (a pin) or EBUSY (the mount point)
     */
    public void rmdir(String path) {
        open();
        objs.rmdir(path);
    }

    /**
     * How many descriptors are open, for leak checks in tests.
     *
     * @return the count
     */
    public int openDescriptors() {
        synchronized (k) {
            return k.fds().size();
        }
    }

    /**
     * How many maps are alive (have an id), for lifetime checks in tests.
     *
     * @return the count
     */
    public int liveMaps() {
        synchronized (k) {
            return k.liveCount(ObjKind.MAP);
        }
    }

    /**
     * How many programs are alive, for lifetime checks in tests.
     *
     * @return the count
     */
    public int livePrograms() {
        synchronized (k) {
            return k.liveCount(ObjKind.PROG);
        }
    }

    private void open() {
        k.checkOpen();
    }

    private BpfUnsupportedException unsupported(Operation op) {
        return new BpfUnsupportedException(Kernel.BACKEND, op, SimCapabilities.unsupported(op));
    }

    @Override
    public String name() {
        return Kernel.BACKEND;
    }

    @Override
    public Capabilities capabilities() {
        open();
        return caps;
    }

    @Override
    public int possibleCpus() {
        return k.config().possibleCpus();
    }

    @Override
    public void closeFd(int fd) {
        objs.close(fd);
    }

    @Override
    public int dupFd(int fd) {
        open();
        return objs.dup(fd);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        open();
        return objs.read(fd, buf, off, len);
    }

    @Override
    public void close() {
        // Descriptors stay open, as the contract says; the simulator holds no native resources.
        k.close();
    }

    @Override
    public int mapCreate(MapSpec spec) {
        open();
        return maps.create(Objects.requireNonNull(spec, "spec"));
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
    public BatchResult mapLookupBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values, int count,
            long elemFlags, long flags) {
        return batch.lookup(mapFd, inBatch, outBatch, keys, values, count, elemFlags, flags, false);
    }

    @Override
    public BatchResult mapLookupAndDeleteBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        return batch.lookup(mapFd, inBatch, outBatch, keys, values, count, elemFlags, flags, true);
    }

    @Override
    public int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        open();
        return batch.update(mapFd, keys, values, count, elemFlags, flags);
    }

    @Override
    public int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags, long flags) {
        open();
        return batch.delete(mapFd, keys, count, elemFlags, flags);
    }

    @Override
    public LoadResult progLoad(ProgramSpec spec) {
        open();
        Objects.requireNonNull(spec, "spec");
        // One hold of the kernel's lock for the load and the record of its map ids, while the
        // descriptors in the instructions still name the maps the load resolved.
        return k.run(Operation.PROG_LOAD, () -> {
            LoadResult r = progs.load(spec);
            images.loaded(r.fd(), spec);
            return r;
        });
    }

    @Override
    public long[] progGetXlated(int progFd) {
        open();
        ObjRules.fd(progFd, "progFd");
        return images.xlated(progFd);
    }

    @Override
    public byte[] progGetJited(int progFd) {
        open();
        ObjRules.fd(progFd, "progFd");
        throw unsupported(Operation.PROG_JITED);
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
        ProgRules.streamRead(progFd, streamId, buf);
        throw unsupported(Operation.PROG_STREAM_READ_BY_FD);
    }

    @Override
    public void progAttach(AttachSpec spec) {
        open();
        attach.attach(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public void progDetach(AttachSpec spec) {
        open();
        attach.detach(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public QueryResult progQuery(QuerySpec spec) {
        open();
        return attach.query(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public int linkCreate(LinkSpec spec) {
        open();
        return attach.linkCreate(Objects.requireNonNull(spec, "spec"));
    }

    @Override
    public void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags) {
        open();
        attach.linkUpdate(linkFd, newProgFd, oldProgFd, flags);
    }

    @Override
    public void linkDetach(int linkFd) {
        open();
        attach.linkDetach(linkFd);
    }

    @Override
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        open();
        return attach.rawTracepointOpen(name, progFd, cookie);
    }

    @Override
    public io.bpf4j.api.MappedRing ringBufferMap(int mapFd) {
        open();
        return events.ringBufferMap(mapFd);
    }

    /**
     * Adds a network interface to the simulator's table, for {@link #interfaceIndex(String)} and
     * attaching by name; {@code lo} (index 1) is there from the start. Hooks fire on any index,
     * named or not.
     *
     * @param name the interface's name, at most 15 bytes as on Linux
     * @return its index: the next free one, from 2
     * @throws IllegalArgumentException when the name is bad or already taken
     */
    public int addInterface(String name) {
        io.bpf4j.internal.rules.ObjRules.interfaceName(name);
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            throw new IllegalArgumentException("name: '" + name + "' is longer than Linux's 15-byte interface names");
        }
        synchronized (interfaces) {
            if (interfaces.containsKey(name)) throw new IllegalArgumentException("name: interface '" + name + "' exists");
            int index = interfaces.size() + 1;
            interfaces.put(name, index);
            return index;
        }
    }

    @Override
    public int interfaceIndex(String name) {
        open();
        io.bpf4j.internal.rules.ObjRules.interfaceName(name);
        synchronized (interfaces) {
            Integer i = interfaces.get(name);
            if (i == null) {
                throw new IllegalArgumentException("name: no interface '" + name + "' in the simulator (it has " + interfaces.keySet()
                        + "; SimBpf.addInterface adds one)");
            }
            return i;
        }
    }

    @Override
    public io.bpf4j.api.MappedRegion mapMmap(int mapFd, long length, boolean writable) {
        open();
        io.bpf4j.internal.rules.MapRules.mmap(mapFd, length);
        throw unsupported(Operation.MAP_MMAP);
    }

    @Override
    public io.bpf4j.api.MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        open();
        return events.perfBufferOpen(arrayFd, cpu, pages, wakeup, watermark);
    }

    @Override
    public io.bpf4j.api.RingWaiter ringWaiter() {
        open();
        return events.waiter();
    }

    @Override
    public int openTarget(AttachTarget target) {
        open();
        return attach.openTarget(Objects.requireNonNull(target, "target"));
    }

    @Override
    public int iterCreate(int linkFd, int flags) {
        open();
        LinkRules.iterCreate(linkFd, flags);
        throw unsupported(Operation.ITER_CREATE);
    }

    @Override
    public void objPin(int fd, String path) {
        open();
        objs.pin(fd, path);
    }

    @Override
    public void objUnpin(String path) {
        open();
        objs.unpin(path);
    }

    @Override
    public int objGet(String path, int fileFlags) {
        open();
        return objs.get(path, fileFlags);
    }

    @Override
    public int progGetNextId(int startId) {
        open();
        return objs.nextId(Operation.PROG_GET_NEXT_ID, ObjKind.PROG, startId);
    }

    @Override
    public int mapGetNextId(int startId) {
        open();
        return objs.nextId(Operation.MAP_GET_NEXT_ID, ObjKind.MAP, startId);
    }

    @Override
    public int linkGetNextId(int startId) {
        open();
        return objs.nextId(Operation.LINK_GET_NEXT_ID, ObjKind.LINK, startId);
    }

    @Override
    public int btfGetNextId(int startId) {
        open();
        return objs.nextId(Operation.BTF_GET_NEXT_ID, ObjKind.BTF, startId);
    }

    @Override
    public int progGetFdById(int id) {
        open();
        return objs.fdById(Operation.PROG_GET_FD_BY_ID, ObjKind.PROG, id);
    }

    @Override
    public int mapGetFdById(int id) {
        open();
        return objs.fdById(Operation.MAP_GET_FD_BY_ID, ObjKind.MAP, id);
    }

    @Override
    public int linkGetFdById(int id) {
        open();
        return objs.fdById(Operation.LINK_GET_FD_BY_ID, ObjKind.LINK, id);
    }

    @Override
    public int btfGetFdById(int id) {
        open();
        return objs.fdById(Operation.BTF_GET_FD_BY_ID, ObjKind.BTF, id);
    }

    @Override
    public MapInfo mapGetInfo(int mapFd) {
        open();
        return objs.mapInfo(mapFd);
    }

    @Override
    public ProgramInfo progGetInfo(int progFd) {
        open();
        return objs.progInfo(progFd);
    }

    @Override
    public LinkInfo linkGetInfo(int linkFd) {
        open();
        return objs.linkInfo(linkFd);
    }

    @Override
    public BtfInfo btfGetInfo(int btfFd) {
        open();
        return objs.btfInfo(btfFd);
    }

    @Override
    public byte[] btfGetData(int btfFd) {
        return objs.btfData(btfFd);
    }

    @Override
    public LoadResult btfLoad(byte[] btf, int logLevel) {
        open();
        return objs.btfLoad(btf, logLevel);
    }

    @Override
    public TaskFdQueryResult taskFdQuery(int pid, int fd, int flags) {
        open();
        ObjRules.taskFdQuery(pid, fd, flags);
        throw unsupported(Operation.TASK_FD_QUERY);
    }

    @Override
    public int enableStats(StatsType type) {
        open();
        return objs.enableStats(type);
    }

    @Override
    public int tokenCreate(int bpffsFd, int flags) {
        open();
        ObjRules.tokenCreate(bpffsFd, flags);
        throw unsupported(Operation.TOKEN_CREATE);
    }
}
