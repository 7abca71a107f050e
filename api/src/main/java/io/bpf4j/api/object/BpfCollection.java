package io.bpf4j.api.object;

import io.bpf4j.api.AttachTarget;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapFlags;
import io.bpf4j.api.MapType;
import io.bpf4j.api.MappedRegion;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.XdpMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A loaded object: its maps and programs by name, its global variables, and the links made
 * through it. It owns all of them: {@link #close()} closes the links, programs and maps.
 * Pinned maps stay pinned, and so live on.
 *
 * {@snippet :
 * try (Bpf bpf = Bpf.open();
 *      BpfCollection obj = ObjectSpec.open(Path.of("counter.o")).load(bpf)) {
 *     BpfLink link = obj.attach("count_getpid");          // tracepoint/syscalls/sys_enter_getpid
 *     long hits = obj.variable("hits").getLong();
 * }
 * }
 *
 * <p>Attaching follows the program's section ({@link ObjectProgram#hook()}): hooks the section
 * names completely (tracepoints, raw tracepoints, kprobes) attach with {@link #attach(String)};
 * XDP, TCX and netkit programs take an interface, cgroup and network-namespace programs a
 * path, uprobes a binary and offset, with {@link #attach(String, int)} and
 * {@link #attach(String, AttachTarget)}. Any other use goes through {@link #program(String)}.
 */
public final class BpfCollection implements AutoCloseable {
    private final Bpf bpf;
    private final ObjectSpec spec;
    private final Map<String, BpfMap> maps;
    private final Map<String, BpfProgram> programs;
    private final Map<String, String> pins;
    private final List<BpfLink> links = new ArrayList<>();
    private final Map<String, MappedRegion> regions = new LinkedHashMap<>();
    private final String btfProblem;
    private volatile boolean closed;

    BpfCollection(Bpf bpf, ObjectSpec spec, Map<String, BpfMap> maps, Map<String, BpfProgram> programs,
            Map<String, String> pins, String btfProblem) {
        this.btfProblem = btfProblem;
        this.bpf = bpf;
        this.spec = spec;
        this.maps = Collections.unmodifiableMap(new LinkedHashMap<>(maps));
        this.programs = Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        this.pins = Collections.unmodifiableMap(new LinkedHashMap<>(pins));
    }

    /**
     * The backend it was loaded on.
     *
     * @return the backend
     */
    public Bpf bpf() {
        return bpf;
    }

    /**
     * The spec it was loaded from.
     *
     * @return the spec, with the edits made before load
     */
    public ObjectSpec spec() {
        return spec;
    }

    /**
     * Why the object's BTF was not loaded into the backend, when it was not: its maps were then
     * made without key and value types, which only maps holding spin locks, timers or kernel
     * pointers need. libbpf also goes on without it.
     *
     * @return the reason, or empty when the BTF was loaded
     */
    public java.util.Optional<String> btfProblem() {
        return java.util.Optional.ofNullable(btfProblem);
    }

    /**
     * Every map, by its name in the object.
     *
     * @return the maps, owned by the collection
     */
    public Map<String, BpfMap> maps() {
        return maps;
    }

    /**
     * A map by its name in the object ({@code .data}, {@code .rodata} ... for global data).
     *
     * @param name the name
     * @return the map, owned by the collection
     * @throws IllegalArgumentException naming the parameter when there is none
     */
    public BpfMap map(String name) {
        BpfMap m = maps.get(name);
        if (m == null) throw new IllegalArgumentException("name: no map '" + name + "' in " + spec.file() + " (maps: "
                + String.join(", ", maps.keySet()) + ")");
        return m;
    }

    /**
     * Every loaded program, by name.
     *
     * @return the programs, owned by the collection
     */
    public Map<String, BpfProgram> programs() {
        return programs;
    }

    /**
     * A loaded program by name.
     *
     * @param name the function's name
     * @return the program, owned by the collection
     * @throws IllegalArgumentException naming the parameter when there is none, or it was not loaded
     */
    public BpfProgram program(String name) {
        BpfProgram p = programs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("name: no loaded program '" + name + "' in " + spec.file() + " (loaded: "
                    + String.join(", ", programs.keySet()) + ")");
        }
        return p;
    }

    /**
     * Where a map is pinned, when it is.
     *
     * @param name the map's name
     * @return the pin path, or null when the map is not pinned
     */
    public String pinPath(String name) {
        map(name);
        return pins.get(name);
    }

    /**
     * A global variable, to read and write through its map.
     *
     * @param name the variable's name
     * @return the variable
     * @throws IllegalArgumentException naming the parameter when there is none
     */
    public GlobalVariable variable(String name) {
        ObjectVariable v = spec.variable(name);
        BpfMap m = map(v.map());
        return new GlobalVariable(v, m, this, memory(v.map(), m));
    }

    /**
     * The global-data map's value mapped into the process, mapped on first use and kept until
     * close; null when the backend or the map cannot be mapped (then variables use lookup and
     * update). A frozen map is mapped read-only: the kernel refuses a writable mapping of it.
     */
    private synchronized ByteBuffer memory(String name, BpfMap m) {
        checkOpen();
        if (regions.containsKey(name)) return buffer(regions.get(name));
        MappedRegion r = null;
        if ((m.flags() & MapFlags.MMAPABLE) != 0 && m.type() == MapType.ARRAY && m.valueSize() > 0) {
            boolean writable = !spec.map(name).frozen();
            try {
                r = bpf.mapMmap(m.fd(), m.valueSize(), writable);
            } catch (BpfUnsupportedException e) {
                r = null;
            } catch (BpfException e) {
                // A map reused from a pin may be frozen or unmappable although the spec is not:
                // lookup and update still reach it.
                r = null;
            }
        }
        regions.put(name, r);
        return buffer(r);
    }

    private static ByteBuffer buffer(MappedRegion r) {
        return r == null ? null : r.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Throws once the collection is closed; callers that touch mapped memory hold its lock. */
    void checkOpen() {
        if (closed) throw new IllegalStateException("collection of " + spec.file() + " is closed");
    }

    /**
     * Attaches a program whose section names its target: {@code tracepoint/CAT/NAME},
     * {@code raw_tp/NAME}, {@code kprobe/FUNCTION}.
     *
     * @param program the program's name
     * @return the link, owned by the collection as well (closing it early detaches early)
     * @throws IllegalArgumentException naming the parameter when the hook needs a target
     */
    public BpfLink attach(String program) {
        return keep(Attacher.attach(spec.program(program), program(program)));
    }

    /**
     * Attaches an XDP, TCX or netkit program to a network interface as its section says (XDP in
     * the driver's default mode; TCX and netkit last in the list).
     *
     * @param program the program's name
     * @param ifindex the interface
     * @return the link, owned by the collection as well
     */
    public BpfLink attach(String program, int ifindex) {
        return keep(Attacher.attach(spec.program(program), program(program), ifindex, XdpMode.DEFAULT));
    }

    /**
     * Attaches an XDP program to a network interface in a given mode.
     *
     * @param program the program's name
     * @param ifindex the interface
     * @param mode the XDP mode
     * @return the link, owned by the collection as well
     */
    public BpfLink attachXdp(String program, int ifindex, XdpMode mode) {
        return keep(Attacher.attach(spec.program(program), program(program), ifindex, Objects.requireNonNull(mode, "mode")));
    }

    /**
     * Attaches a program to a target its section does not name: a cgroup
     * ({@link AttachTarget.Cgroup}) for cgroup hooks, a network namespace for
     * {@code flow_dissector} and {@code sk_lookup}, a binary and offset
     * ({@link AttachTarget.Uprobe}) for uprobes, a perf event for {@code perf_event}, or a
     * kprobe or tracepoint other than the section's.
     *
     * @param program the program's name
     * @param target the target
     * @return the link, owned by the collection as well
     * @throws IllegalArgumentException naming the parameter when the target does not suit the hook
     */
    public BpfLink attach(String program, AttachTarget target) {
        return keep(Attacher.attach(spec.program(program), program(program), Objects.requireNonNull(target, "target")));
    }

    /**
     * Attaches every loaded program whose section names its target (tracepoints, raw
     * tracepoints, kprobes), as libbpf's skeleton {@code attach} does.
     *
     * @return the new links, owned by the collection as well
     */
    public List<BpfLink> attachAll() {
        List<BpfLink> out = new ArrayList<>();
        for (ObjectProgram p : spec.selectedPrograms()) {
            if (Attacher.attachesAlone(p)) out.add(attach(p.name()));
        }
        return out;
    }

    private synchronized BpfLink keep(BpfLink link) {
        if (closed) {
            link.close();
            throw new IllegalStateException("collection of " + spec.file() + " is closed");
        }
        links.add(link);
        return link;
    }

    /**
     * Closes every link made through the collection, every program and every map, once. Pinned
     * maps stay pinned.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        RuntimeException first = null;
        List<AutoCloseable> all = new ArrayList<>(links);
        // Unmapped before the maps close; no variable reads them once closed is set.
        for (MappedRegion r : regions.values()) if (r != null) all.add(r);
        all.addAll(programs.values());
        all.addAll(maps.values());
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    @Override
    public String toString() {
        return "BpfCollection[" + spec.file() + " on " + bpf.name() + ": " + programs.size() + " programs, " + maps.size()
                + " maps]";
    }
}
