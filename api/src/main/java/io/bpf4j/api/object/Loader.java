package io.bpf4j.api.object;

import static io.bpf4j.api.asm.Opcodes.PSEUDO_MAP_FD;
import static io.bpf4j.api.asm.Opcodes.PSEUDO_MAP_VALUE;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.UpdateFlags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a spec as libbpf's {@code bpf_object__load} does: first what needs no new kernel object
 * (the {@code .kconfig} values, the {@code .ksyms} externs and attach targets found in the
 * kernel's BTF, CO-RE relocations applied), so a missing kernel feature fails the load before
 * anything is made; then every map (reusing compatible pinned maps, writing and freezing global
 * data, pinning new maps), then the selected programs with the map descriptors put into their
 * instructions and their {@code func_info} and {@code line_info}. On failure everything made so
 * far is closed and the pins it made are removed.
 */
final class Loader {
    private final Bpf bpf;
    private final ObjectSpec spec;
    private final LoadOptions opts;
    private final Map<String, BpfMap> maps = new LinkedHashMap<>();
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final Map<String, String> pins = new LinkedHashMap<>();
    private final List<String> pinnedHere = new ArrayList<>();
    private final java.util.Set<String> reused = new java.util.HashSet<>();
    private ObjectBtf btf;
    private ProgramExt.Records records;
    private final Map<String, Prepared> prepared = new LinkedHashMap<>();
    private byte[] kconfig;

    /** A program's instructions with everything but map descriptors in place, and where it attaches. */
    private record Prepared(long[] insns, KernelTargets.Target target, int[] fdArray) {
    }

    Loader(Bpf bpf, ObjectSpec spec, LoadOptions opts) {
        this.bpf = bpf;
        this.spec = spec;
        this.opts = opts;
    }

    BpfCollection load() {
        if (spec.flavor() == ObjectFlavor.EBPF_FOR_WINDOWS) EfwConventions.checkLoadable(spec);
        try (KernelView kernel = new KernelView(bpf, opts)) {
            prepare(kernel);
            return create();
        }
    }

    private void prepare(KernelView kernel) {
        if (!spec.externs().kconfig().isEmpty()) kconfig = Kconfig.value(spec, kernel, opts);
        Ksyms ksyms = new Ksyms(spec, kernel);
        io.bpf4j.api.btf.CoreRelocator relocator = null;
        boolean core = spec.selectedPrograms().stream().anyMatch(p -> p.coreRelocations() > 0);
        if (core) relocator = ProgramExt.relocator(spec, kernel, opts.targetBtf().isPresent());
        for (ObjectProgram p : spec.selectedPrograms()) {
            if (p.hook() == Hook.STRUCT_OPS) {
                // The kernel takes a struct_ops program's attach_btf_id from its place in a struct_ops map.
                throw new ObjectFormatException(spec.file(), p.section(), p.name(), "unsupported: struct_ops programs are"
                        + " loaded as members of their .struct_ops map, which this loader does not load yet");
            }
            long[] insns = p.instructions();
            // Externs first, as libbpf resolves them before relocating: a missing kernel symbol is named first.
            ksyms.resolve(p);
            ProgramExt.core(spec, p, insns, relocator, kernel);
            ksyms.patch(p, insns);
            KernelTargets.Target t = KernelTargets.find(bpf, spec.file(), p, kernel, opts);
            prepared.put(p.name(), new Prepared(insns, t, ksyms.fdArray(p)));
        }
    }

    private BpfCollection create() {
        try (ObjectBtf b = ObjectBtf.load(bpf, spec)) {
            btf = b;
            records = new ProgramExt.Records(b.fd() == 0 ? null : spec.btfExt());
            for (ObjectMap m : spec.maps()) maps.put(m.name(), map(m));
            for (ObjectProgram p : spec.selectedPrograms()) programs.put(p.name(), program(p));
            for (ObjectMap m : spec.maps()) slots(m);
            return new BpfCollection(bpf, spec, maps, programs, pins, b.whyNot());
        } catch (RuntimeException e) {
            for (String path : pinnedHere) {
                try {
                    bpf.objUnpin(path);
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
            }
            for (BpfProgram p : programs.values()) close(p, e);
            for (BpfMap m : maps.values()) close(m, e);
            throw e;
        }
    }

    private static void close(AutoCloseable c, RuntimeException e) {
        try {
            c.close();
        } catch (Exception again) {
            e.addSuppressed(again);
        }
    }

    /** Where a map is pinned: its explicit path, or the pin root and its name with dots made '_' as libbpf does. */
    static String pinPath(ObjectMap m, LoadOptions opts) {
        return pinPath(m, opts, ObjectFlavor.LIBBPF);
    }

    /** The same for an object of a flavor, whose default pin root may differ. */
    static String pinPath(ObjectMap m, LoadOptions opts, ObjectFlavor flavor) {
        if (m.pinPath() != null) return m.pinPath();
        if (m.pinning() != Pinning.BY_NAME) return null;
        // bpffs refuses dots in names; libbpf's sanitize_pin_path() turns them into '_'.
        return opts.pinRoot(flavor) + "/" + m.name().replace('.', '_').replace('/', '_');
    }

    private BpfMap map(ObjectMap m) {
        String path = pinPath(m, opts, spec.flavor());
        if (path != null) {
            BpfMap pinned = pinned(path);
            if (pinned != null) {
                try {
                    checkCompatible(m, pinned.info(), path);
                } catch (RuntimeException e) {
                    pinned.close();
                    throw e;
                }
                pins.put(m.name(), path);
                reused.add(m.name());
                return pinned;
            }
        }
        BpfMap created = create(m);
        try {
            byte[] init = m.kind() == MapKind.KCONFIG ? kconfig : m.initialValueShared();
            if (init.length > 0) created.update(new byte[4], init, UpdateFlags.ANY);
            if (m.frozen()) created.freeze();
            if (path != null) {
                created.pin(path);
                pinnedHere.add(path);
                pins.put(m.name(), path);
            }
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
        return created;
    }

    /**
     * Writes the elements the object initialises in a map of maps or program array, once
     * everything is loaded (libbpf's {@code init_map_in_map_slots}, {@code init_prog_array_slots}).
     * A reused pinned map keeps what it holds; a program not chosen to load is left out.
     */
    private void slots(ObjectMap m) {
        if (m.slots().isEmpty() || reused.contains(m.name())) return;
        BpfMap outer = maps.get(m.name());
        for (ObjectMap.Slot s : m.slots()) {
            io.bpf4j.api.BpfObject target = s.program() ? programs.get(s.name()) : maps.get(s.name());
            if (target == null) continue;
            int fd = target.fd();
            outer.update(le32(s.index()), le32(fd), UpdateFlags.ANY);
        }
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private BpfMap pinned(String path) {
        int fd;
        try {
            fd = bpf.objGet(path, 0);
        } catch (BpfException e) {
            if (e.errno() == Errno.ENOENT) return null;
            throw e;
        }
        return BpfMap.fromFd(bpf, fd);
    }

    private BpfMap create(ObjectMap m) {
        if (m.innerMap() == null) return create(m, m.toMapSpec());
        // The kernel takes the inner maps' shape from a template map, needed only while the outer one is made.
        // A template that is itself a map of maps needs its own template (efW's legacy definitions allow it).
        try (BpfMap template = create(m.innerMap())) {
            return create(m, m.toMapSpec().withInnerMapFd(template.fd()));
        }
    }

    private BpfMap create(ObjectMap m, MapSpec s) {
        if (btf.fd() != 0 && (m.btfKeyTypeId() != 0 || m.btfValueTypeId() != 0)) {
            try {
                return createPlain(m, s.withBtf(btf.fd(), m.btfKeyTypeId(), m.btfValueTypeId()));
            } catch (BpfException e) {
                // As libbpf: a map the kernel will not take with its BTF types is made without them.
                if (e instanceof io.bpf4j.api.BpfUnsupportedException) throw e;
            }
        }
        return createPlain(m, s);
    }

    private BpfMap createPlain(ObjectMap m, MapSpec s) {
        try {
            return BpfMap.create(bpf, s);
        } catch (BpfException e) {
            // Kernels before 5.5 have no mmap()able arrays: global data works without, as libbpf falls back.
            if (e.errno() != Errno.EINVAL || (s.flags() & MapFlags.MMAPABLE) == 0 || !m.kind().globalData()) throw e;
            return BpfMap.create(bpf, s.withFlags(s.flags() & ~MapFlags.MMAPABLE));
        }
    }

    /** libbpf's {@code map_is_reuse_compat()}: the same type, sizes, capacity, flags and extra. */
    private void checkCompatible(ObjectMap m, MapInfo info, String path) {
        List<String> diff = new ArrayList<>();
        if (info.type() != m.type()) diff.add("type " + m.type() + " here, " + info.type() + " pinned");
        if (info.keySize() != m.keySize()) diff.add("key size " + m.keySize() + " here, " + info.keySize() + " pinned");
        if (info.valueSize() != m.valueSize()) diff.add("value size " + m.valueSize() + " here, " + info.valueSize() + " pinned");
        if (info.maxEntries() != m.maxEntries()) diff.add("max entries " + m.maxEntries() + " here, " + info.maxEntries() + " pinned");
        // A global-data map may have been created without BPF_F_MMAPABLE on a kernel lacking it.
        int ignore = m.kind().globalData() ? MapFlags.MMAPABLE : 0;
        if ((info.flags() & ~ignore) != (m.flags() & ~ignore)) {
            diff.add("flags 0x" + Integer.toHexString(m.flags()) + " here, 0x" + Integer.toHexString(info.flags()) + " pinned");
        }
        if (info.mapExtra() != m.mapExtra()) diff.add("map_extra " + m.mapExtra() + " here, " + info.mapExtra() + " pinned");
        if (!diff.isEmpty()) {
            throw new BpfException(bpf.name(), Operation.OBJ_GET, "map \"" + m.name() + "\"", Errno.EINVAL, -1,
                    "the map pinned at " + path + " is incompatible: " + String.join(", ", diff));
        }
    }

    private BpfProgram program(ObjectProgram p) {
        Prepared prep = prepared.get(p.name());
        long[] insns = prep.insns();
        for (ObjectProgram.MapRef r : p.mapRefs()) {
            BpfMap m = maps.get(r.map());
            int fd = m.fd();
            long w = insns[r.insn()];
            int src = r.value() ? PSEUDO_MAP_VALUE : PSEUDO_MAP_FD;
            insns[r.insn()] = (w & 0xffffL & ~0xf000L) | (long) src << 12 | (w & 0xffff0000L) | (fd & 0xffffffffL) << 32;
            insns[r.insn() + 1] = (insns[r.insn() + 1] & 0xffffffffL) | (long) (r.value() ? r.offset() : 0) << 32;
        }
        KernelTargets.Target t = prep.target();
        ProgramSpec s = new ProgramSpec(p.type(), insns, spec.license(), p.kernelName(), p.expectedAttachType(), t.btfId(),
                t.btfObjFd(), t.progFd(), p.flags(), spec.kernelVersion(), opts.logLevel(), opts.logSize(), 0, prep.fdArray(), 0,
                records.of(p, btf.fd()));
        try {
            return BpfProgram.load(bpf, s);
        } catch (BpfUnsupportedException e) {
            // The backend cannot say which of the object's programs it was given: say it here.
            BpfUnsupportedException named = new BpfUnsupportedException(e.backend(), Operation.PROG_LOAD, e.errno(),
                    e.rawErrno(), "program \"" + p.kernelName() + "\" (section '" + p.section() + "'): " + e.reason());
            named.initCause(e);
            throw named;
        }
    }
}
