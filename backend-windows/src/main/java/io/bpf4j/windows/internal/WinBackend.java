package io.bpf4j.windows.internal;

import io.bpf4j.api.AttachSpec;
import io.bpf4j.internal.spi.KnownMaps;
import io.bpf4j.internal.spi.MapLayout;
import io.bpf4j.api.AttachType;
import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TaskFdQueryResult;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.internal.rules.MapRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.internal.rules.ProgRules;
import io.bpf4j.windows.WindowsBpf;
import io.bpf4j.windows.internal.sys.EbpfApi;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.sys.IpHelperBinding;
import io.bpf4j.windows.internal.uapi.Attr;
import io.bpf4j.windows.internal.uapi.WinErrors;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The eBPF for Windows backend: {@link io.bpf4j.api.Bpf} and {@link WindowsBpf} over an
 * {@link EbpfApi} binding. This class holds what every command shares (the binding, the call
 * mode, per-thread scratch, capabilities) and the descriptor commands; the map,
 * program, object and Windows-only commands live in {@link MapOps}, {@link ProgOps},
 * {@link ObjOps} and {@link ExtOps}.
 */
public final class WinBackend implements WindowsBpf, KnownMaps {
    /** Exports the backend cannot work without; a library lacking one is unavailable. */
    public static final List<Export> REQUIRED = List.of(Export.EBPF_CLOSE_FD, Export.LIBBPF_NUM_POSSIBLE_CPUS,
            Export.BPF_OBJ_GET_INFO_BY_FD);

    final EbpfApi api;
    final Mode mode;
    final Release release;
    private final ThreadLocal<Scratch> scratch;
    private final int cpus;
    private volatile boolean closed;
    private volatile Capabilities capabilities;
    private final MapOps maps = new MapOps(this);
    private final ProgOps progs = new ProgOps(this);
    private final ObjOps objs = new ObjOps(this);
    private final RingOps rings = new RingOps(this);
    private final PerfOps perf = new PerfOps(this);
    private final ExtOps ext = new ExtOps(this);
    private final LinkOps links = new LinkOps(this);
    private final Interfaces interfaces;

    /**
     * Creates the backend, with interface names through the IP helper library this process is
     * configured for ({@link IpHelperBinding#system()}).
     *
     * @param api the binding
     * @param callsProperty the value of {@code bpf4j.windows.calls} (null for the default)
     * @throws IllegalStateException when a {@link #REQUIRED} export is missing
     */
    public WinBackend(EbpfApi api, String callsProperty) {
        this(api, callsProperty, IpHelperBinding.system());
    }

    /**
     * Creates the backend.
     *
     * @param api the binding
     * @param callsProperty the value of {@code bpf4j.windows.calls} (null for the default)
     * @param ipHelper the IP helper binding for interface names, or why there is none
     * @throws IllegalStateException when a {@link #REQUIRED} export is missing
     */
    public WinBackend(EbpfApi api, String callsProperty, IpHelperBinding ipHelper) {
        this.api = api;
        this.interfaces = new Interfaces(ipHelper);
        for (Export e : REQUIRED) {
            if (!api.has(e)) throw new IllegalStateException(e.missingReason());
        }
        this.mode = Mode.select(api, callsProperty);
        this.release = Release.of(api);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(api));
        int n = api.libbpfNumPossibleCpus();
        if (n < 1) throw new IllegalStateException("libbpf_num_possible_cpus returned " + n);
        this.cpus = n;
    }

    Scratch s() {
        open();
        return scratch.get();
    }

    /** Every command passes here (through {@link #need} or {@link #s()}); closeFd does not. */
    private void open() {
        if (closed) throw new IllegalStateException("windows backend is closed");
    }

    Interfaces interfaces() {
        return interfaces;
    }

    MapOps maps() {
        return maps;
    }

    ProgOps progs() {
        return progs;
    }

    ExtOps ext() {
        return ext;
    }

    /** Throws before any native call when the operation is Linux-only or its export is missing. */
    void need(Operation op) {
        open();
        String linuxOnly = WinCapabilities.LINUX_ONLY.get(op);
        if (linuxOnly != null) throw Fail.unsupported(op, linuxOnly);
        String notYet = WinCapabilities.NOT_YET.get(op);
        if (notYet != null) throw Fail.unsupported(op, notYet);
        Export e = WinCapabilities.export(op, mode);
        if (e != null && !api.has(e)) throw Fail.unsupported(op, WinCapabilities.missing(op, e));
    }

    /** Throws when an {@code ebpf_*} export is missing. */
    void need(Operation op, Export e) {
        open();
        if (!api.has(e)) throw Fail.unsupported(op, e.missingReason());
    }

    /**
     * Calls {@code bpf()} on this thread's attribute buffer. Every command the backend sends is
     * implemented by every supported release (bpf_syscall.cpp@Release-v0.21.0:179-370), so the
     * last error is consulted only where a release reports through it: a PROG_LOAD of a NativeOnly
     * build, -EINVAL with ERROR_NOT_SUPPORTED from 1.0.0-rc1 (bpf_syscall.cpp@v1.5.0:363-367). The
     * last error is cleared first, since {@code bpf()} leaves an older one on its other paths.
     *
     * @return the non-negative result, or {@code -errno} for the caller to judge
     */
    int sys(Operation op, int cmd) {
        if (op != Operation.PROG_LOAD) return api.bpf(cmd, s().attrAddr, Attr.SIZE);
        long attr = s().attrAddr;
        api.clearLastError();
        int r = api.bpf(cmd, attr, Attr.SIZE);
        if (r == -WinErrors.EINVAL && api.lastError() == WinErrors.ERROR_NOT_SUPPORTED) {
            throw new BpfUnsupportedException(Fail.BACKEND, op, Errno.EINVAL, WinErrors.EINVAL, ProgOps.NATIVE_ONLY);
        }
        return r;
    }

    /** Returns {@code r} when it is a result, else throws the errno. */
    static int check(Operation op, String object, int r) {
        if (r < 0) throw Fail.errno(op, object, r);
        return r;
    }

    /**
     * A bare descriptor's map, seen through a private duplicate when the library can make one
     * (ebpf_duplicate_fd), so the layout read here is that of the object the command then runs
     * on; nothing is remembered by descriptor number. Without the export, the info and the
     * command use the caller's number, and a caller that closes it meanwhile races itself.
     */
    private final class Pinned implements AutoCloseable {
        final int fd;
        final MapLayout layout;
        private final boolean duplicate;

        Pinned(int callerFd) {
            MapRules.fd(callerFd, "mapFd");
            duplicate = api.has(Export.EBPF_DUPLICATE_FD);
            fd = duplicate ? dupFd(callerFd) : callerFd;
            try {
                MapInfo info = objs.mapInfo(fd);
                layout = MapLayout.of(info.type(), info.keySize(), info.valueSize(), info.name(), cpus);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (duplicate) api.ebpfCloseFd(fd);
        }
    }

    // ---------------------------------------------------------------- the backend itself

    @Override
    public String name() {
        return Fail.BACKEND;
    }

    @Override
    public Capabilities capabilities() {
        open();
        Capabilities c = capabilities;
        if (c == null) {
            synchronized (this) {
                c = capabilities;
                if (c == null) {
                    c = new Probe(this).capabilities();
                    capabilities = c;
                }
            }
        }
        return c;
    }

    /**
     * The call mode, for diagnostics and tests.
     *
     * @return e.g. {@code "syscall via ffm, last error from GetLastError, eBPF for Windows 1.0.0-rc1 or later"}
     */
    public String callMode() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + " via " + api.name() + ", last error from "
                + api.lastErrorSource() + ", eBPF for Windows " + release.version() + " or later";
    }

    @Override
    public int possibleCpus() {
        return cpus;
    }

    @Override
    public void closeFd(int fd) {
        ObjRules.fd(fd, "fd");
        if (fd == 0) throw new IllegalArgumentException("fd: 0 is not a descriptor this backend returned");
        int r = api.ebpfCloseFd(fd);
        if (r != WinErrors.EBPF_SUCCESS) throw Fail.result(Operation.OBJ_GET, "fd " + fd, r, "ebpf_close_fd");
    }

    @Override
    public int dupFd(int fd) {
        ObjRules.fd(fd, "fd");
        need(Operation.OBJ_GET, Export.EBPF_DUPLICATE_FD);
        Scratch s = s();
        s.out();
        int r = api.ebpfDuplicateFd(fd, s.outAddr);
        if (r != WinErrors.EBPF_SUCCESS) throw Fail.result(Operation.OBJ_GET, "fd " + fd, r, "ebpf_duplicate_fd");
        return s.out.getInt(0);
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) {
        ObjRules.read(fd, buf, off, len);
        throw Fail.unsupported(Operation.ITER_CREATE, WinCapabilities.LINUX_ONLY.get(Operation.ITER_CREATE));
    }

    @Override
    public void close() {
        // Later calls throw, except closeFd, so handles can still release their descriptors.
        // Scratch buffers are direct ByteBuffers the GC frees; the library stays mapped for the
        // process's life, as descriptors the caller still owns need it.
        closed = true;
    }

    // ---------------------------------------------------------------- maps

    @Override
    public int mapCreate(MapSpec spec) {
        return maps.create(spec);
    }

    @Override
    public boolean mapLookupElem(int mapFd, byte[] key, byte[] value, long flags) {
        maps.before(Operation.MAP_LOOKUP_ELEM, flags);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.lookup(Operation.MAP_LOOKUP_ELEM, p.fd, p.layout, key, value, flags);
        }
    }

    @Override
    public void mapUpdateElem(int mapFd, byte[] key, byte[] value, long flags) {
        maps.before(Operation.MAP_UPDATE_ELEM, flags);
        try (Pinned p = new Pinned(mapFd)) {
            maps.update(p.fd, p.layout, key, value, flags);
        }
    }

    @Override
    public boolean mapDeleteElem(int mapFd, byte[] key) {
        maps.before(Operation.MAP_DELETE_ELEM, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.delete(p.fd, p.layout, key);
        }
    }

    @Override
    public boolean mapGetNextKey(int mapFd, byte[] key, byte[] nextKey) {
        maps.before(Operation.MAP_GET_NEXT_KEY, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.nextKey(p.fd, p.layout, key, nextKey);
        }
    }

    @Override
    public boolean mapLookupAndDeleteElem(int mapFd, byte[] key, byte[] value, long flags) {
        maps.before(Operation.MAP_LOOKUP_AND_DELETE_ELEM, flags);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.lookup(Operation.MAP_LOOKUP_AND_DELETE_ELEM, p.fd, p.layout, key, value, flags);
        }
    }

    // The element commands of owning handles, which know their layout and keep the descriptor open.

    @Override
    public boolean mapLookupElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        MapRules.fd(mapFd, "mapFd");
        return maps.lookup(Operation.MAP_LOOKUP_ELEM, mapFd, layout, key, value, flags);
    }

    @Override
    public void mapUpdateElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        MapRules.fd(mapFd, "mapFd");
        maps.update(mapFd, layout, key, value, flags);
    }

    @Override
    public boolean mapDeleteElem(int mapFd, MapLayout layout, byte[] key) {
        MapRules.fd(mapFd, "mapFd");
        return maps.delete(mapFd, layout, key);
    }

    @Override
    public boolean mapGetNextKey(int mapFd, MapLayout layout, byte[] key, byte[] nextKey) {
        MapRules.fd(mapFd, "mapFd");
        return maps.nextKey(mapFd, layout, key, nextKey);
    }

    @Override
    public boolean mapLookupAndDeleteElem(int mapFd, MapLayout layout, byte[] key, byte[] value, long flags) {
        MapRules.fd(mapFd, "mapFd");
        return maps.lookup(Operation.MAP_LOOKUP_AND_DELETE_ELEM, mapFd, layout, key, value, flags);
    }

    @Override
    public BatchResult mapLookupBatch(int mapFd, MapLayout layout, byte[] inBatch, byte[] outBatch, byte[] keys,
            byte[] values, int count, long elemFlags, long flags) {
        MapRules.fd(mapFd, "mapFd");
        return maps.lookupBatch(Operation.MAP_LOOKUP_BATCH, mapFd, layout, inBatch, outBatch, keys, values, count,
                elemFlags, flags);
    }

    @Override
    public void mapFreeze(int mapFd) {
        MapRules.fd(mapFd, "mapFd");
        need(Operation.MAP_FREEZE);
    }

    @Override
    public BatchResult mapLookupBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        maps.before(Operation.MAP_LOOKUP_BATCH, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.lookupBatch(Operation.MAP_LOOKUP_BATCH, p.fd, p.layout, inBatch, outBatch, keys, values, count,
                    elemFlags, flags);
        }
    }

    @Override
    public BatchResult mapLookupAndDeleteBatch(int mapFd, byte[] inBatch, byte[] outBatch, byte[] keys, byte[] values,
            int count, long elemFlags, long flags) {
        maps.before(Operation.MAP_LOOKUP_AND_DELETE_BATCH, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.lookupBatch(Operation.MAP_LOOKUP_AND_DELETE_BATCH, p.fd, p.layout, inBatch, outBatch, keys, values,
                    count, elemFlags, flags);
        }
    }

    @Override
    public int mapUpdateBatch(int mapFd, byte[] keys, byte[] values, int count, long elemFlags, long flags) {
        maps.before(Operation.MAP_UPDATE_BATCH, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.updateBatch(p.fd, p.layout, keys, values, count, elemFlags, flags);
        }
    }

    @Override
    public int mapDeleteBatch(int mapFd, byte[] keys, int count, long elemFlags, long flags) {
        maps.before(Operation.MAP_DELETE_BATCH, 0);
        try (Pinned p = new Pinned(mapFd)) {
            return maps.deleteBatch(p.fd, p.layout, keys, count, elemFlags, flags);
        }
    }

    // ---------------------------------------------------------------- programs, attach, links

    @Override
    public LoadResult progLoad(ProgramSpec spec) {
        return progs.load(spec);
    }

    @Override
    public TestRunResult progTestRun(int progFd, TestRunSpec spec) {
        return progs.testRun(progFd, spec);
    }

    @Override
    public void progBindMap(int progFd, int mapFd, int flags) {
        progs.bindMap(progFd, mapFd, flags);
    }

    @Override
    public int progStreamReadByFd(int progFd, int streamId, byte[] buf) {
        ProgRules.streamRead(progFd, streamId, buf);
        need(Operation.PROG_STREAM_READ_BY_FD);
        return 0;
    }

    @Override
    public void progAttach(AttachSpec spec) {
        progs.attach(Operation.PROG_ATTACH, spec);
    }

    @Override
    public void progDetach(AttachSpec spec) {
        progs.attach(Operation.PROG_DETACH, spec);
    }

    @Override
    public QueryResult progQuery(QuerySpec spec) {
        return links.query(spec);
    }

    @Override
    public int linkCreate(LinkSpec spec) {
        return links.create(spec);
    }

    @Override
    public void linkUpdate(int linkFd, int newProgFd, int oldProgFd, int flags) {
        LinkRules.update(linkFd, newProgFd, oldProgFd, flags);
        need(Operation.LINK_UPDATE);
    }

    @Override
    public void linkDetach(int linkFd) {
        progs.linkDetach(linkFd);
    }

    @Override
    public int rawTracepointOpen(String name, int progFd, long cookie) {
        LinkRules.rawTracepointOpen(name, progFd);
        need(Operation.RAW_TRACEPOINT_OPEN);
        return -1;
    }

    @Override
    public int iterCreate(int linkFd, int flags) {
        LinkRules.iterCreate(linkFd, flags);
        need(Operation.ITER_CREATE);
        return -1;
    }

    // ---------------------------------------------------------------- objects

    @Override
    public void objPin(int fd, String path) {
        objs.pin(fd, path);
    }

    @Override
    public void objUnpin(String path) {
        objs.unpin(path);
    }

    @Override
    public int objGet(String path, int fileFlags) {
        return objs.get(path, fileFlags);
    }

    @Override
    public int progGetNextId(int startId) {
        return objs.nextId(Operation.PROG_GET_NEXT_ID, Attr.PROG_GET_NEXT_ID, startId);
    }

    @Override
    public int mapGetNextId(int startId) {
        return objs.nextId(Operation.MAP_GET_NEXT_ID, Attr.MAP_GET_NEXT_ID, startId);
    }

    @Override
    public int linkGetNextId(int startId) {
        return objs.nextId(Operation.LINK_GET_NEXT_ID, Attr.LINK_GET_NEXT_ID, startId);
    }

    @Override
    public int btfGetNextId(int startId) {
        ObjRules.startId(startId);
        need(Operation.BTF_GET_NEXT_ID);
        return 0;
    }

    @Override
    public int progGetFdById(int id) {
        return objs.fdById(Operation.PROG_GET_FD_BY_ID, Attr.PROG_GET_FD_BY_ID, id);
    }

    @Override
    public int mapGetFdById(int id) {
        return objs.fdById(Operation.MAP_GET_FD_BY_ID, Attr.MAP_GET_FD_BY_ID, id);
    }

    @Override
    public int linkGetFdById(int id) {
        return objs.fdById(Operation.LINK_GET_FD_BY_ID, Attr.LINK_GET_FD_BY_ID, id);
    }

    @Override
    public int btfGetFdById(int id) {
        ObjRules.id(id);
        need(Operation.BTF_GET_FD_BY_ID);
        return -1;
    }

    @Override
    public MapInfo mapGetInfo(int mapFd) {
        need(Operation.OBJ_GET_INFO_BY_FD);
        return objs.mapInfo(mapFd);
    }

    @Override
    public ProgramInfo progGetInfo(int progFd) {
        need(Operation.OBJ_GET_INFO_BY_FD);
        return objs.progInfo(progFd);
    }

    @Override
    public long[] progGetXlated(int progFd) {
        io.bpf4j.internal.rules.ObjRules.fd(progFd, "progFd");
        need(Operation.PROG_XLATED);
        throw new IllegalStateException("unreachable: " + Operation.PROG_XLATED + " is not in eBPF for Windows");
    }

    @Override
    public byte[] progGetJited(int progFd) {
        io.bpf4j.internal.rules.ObjRules.fd(progFd, "progFd");
        need(Operation.PROG_JITED);
        throw new IllegalStateException("unreachable: " + Operation.PROG_JITED + " is not in eBPF for Windows");
    }

    @Override
    public LinkInfo linkGetInfo(int linkFd) {
        need(Operation.OBJ_GET_INFO_BY_FD);
        return objs.linkInfo(linkFd);
    }

    @Override
    public BtfInfo btfGetInfo(int btfFd) {
        throw Fail.unsupported(Operation.OBJ_GET_INFO_BY_FD, WinCapabilities.LINUX_ONLY.get(Operation.BTF_LOAD));
    }

    @Override
    public io.bpf4j.api.MappedRing ringBufferMap(int mapFd) {
        return rings.map(mapFd);
    }

    @Override
    public int interfaceIndex(String name) {
        io.bpf4j.internal.rules.ObjRules.interfaceName(name);
        open();
        return interfaces.index(name);
    }

    @Override
    public io.bpf4j.api.MappedRegion mapMmap(int mapFd, long length, boolean writable) {
        io.bpf4j.internal.rules.MapRules.mmap(mapFd, length);
        need(Operation.MAP_MMAP);
        throw new IllegalStateException("unreachable: " + Operation.MAP_MMAP + " is not in eBPF for Windows");
    }

    @Override
    public io.bpf4j.api.MappedRing perfBufferOpen(int arrayFd, int cpu, int pages, int wakeup, boolean watermark) {
        return perf.open(arrayFd, cpu, pages, wakeup, watermark);
    }

    @Override
    public io.bpf4j.api.RingWaiter ringWaiter() {
        return rings.waiter();
    }

    @Override
    public byte[] btfGetData(int btfFd) {
        throw Fail.unsupported(Operation.OBJ_GET_INFO_BY_FD, WinCapabilities.LINUX_ONLY.get(Operation.BTF_LOAD));
    }

    @Override
    public LoadResult btfLoad(byte[] btf, int logLevel) {
        ObjRules.btfLoad(btf, logLevel);
        need(Operation.BTF_LOAD);
        return null;
    }

    @Override
    public TaskFdQueryResult taskFdQuery(int pid, int fd, int flags) {
        ObjRules.taskFdQuery(pid, fd, flags);
        need(Operation.TASK_FD_QUERY);
        return null;
    }

    @Override
    public int enableStats(StatsType type) {
        ObjRules.enableStats(type);
        need(Operation.ENABLE_STATS);
        return -1;
    }

    @Override
    public int tokenCreate(int bpffsFd, int flags) {
        ObjRules.tokenCreate(bpffsFd, flags);
        need(Operation.TOKEN_CREATE);
        return -1;
    }

    // ---------------------------------------------------------------- Windows only

    @Override
    public String canonicalizePinPath(String path) {
        return ext.canonicalize(path);
    }

    @Override
    public Optional<PinnedObject> nextPinnedObject(String after, ObjectKind filter) {
        return ext.nextPinned(after, filter);
    }

    @Override
    public ObjectKind objectKind(int fd) {
        return ext.kind(fd);
    }

    @Override
    public int programAttach(int progFd, AttachType attachType, byte[] params) {
        return links.programAttach(progFd, attachType, params);
    }

    @Override
    public Optional<UUID> programTypeGuid(ProgramType type) {
        return ext.programTypeGuid(type);
    }

    @Override
    public Optional<UUID> attachTypeGuid(AttachType type) {
        return ext.attachTypeGuid(type);
    }

    @Override
    public int programTypeNumber(UUID guid) {
        return ext.guidToNumber(guid, true);
    }

    @Override
    public int attachTypeNumber(UUID guid) {
        return ext.guidToNumber(guid, false);
    }

    @Override
    public NativeObject loadNative(String path) {
        return ext.loadNative(path);
    }

    @Override
    public void xdpAttach(int ifindex, int progFd, int flags) {
        ext.xdpAttach(ifindex, progFd, flags);
    }

    @Override
    public void xdpDetach(int ifindex, int flags) {
        ext.xdpDetach(ifindex, flags);
    }

    @Override
    public int xdpQueryId(int ifindex, int flags) {
        return ext.xdpQueryId(ifindex, flags);
    }

    /** A descriptor error for commands whose object is a descriptor. */
    static BpfException badFd(Operation op, int fd) {
        return new BpfException(Fail.BACKEND, op, "fd " + fd, Errno.EBADF, 9, null);
    }
}
