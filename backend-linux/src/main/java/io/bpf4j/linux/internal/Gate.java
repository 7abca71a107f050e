package io.bpf4j.linux.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Capabilities;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.Support;

/**
 * The capability gate: every command asks it first, and an unsupported operation or type
 * throws {@link BpfUnsupportedException} with the probed reason before any native call. Each
 * entry is probed from the kernel on first need (one tiny object per probe) and cached, so the
 * element commands pay one array read.
 */
public final class Gate {
    private final Kernel k;
    private final Support[] ops = new Support[Operation.values().length];
    private final Support[] maps = new Support[MapType.values().length];
    private final Support[] progs = new Support[ProgramType.values().length];
    private final Support[] attaches = new Support[AttachType.values().length];
    private final Support[] links = new Support[LinkType.values().length];
    private OperationProbes opProbes;
    private TypeProbes typeProbes;
    private HookProbes hookProbes;
    private int depth;
    private volatile Capabilities all;

    Gate(Kernel k, Capabilities preset) {
        this.k = k;
        if (preset != null) {
            for (Operation op : Operation.values()) ops[op.ordinal()] = preset.operation(op);
            for (MapType t : MapType.values()) maps[t.ordinal()] = preset.mapType(t);
            for (ProgramType t : ProgramType.values()) progs[t.ordinal()] = preset.programType(t);
            for (AttachType t : AttachType.values()) attaches[t.ordinal()] = preset.attachType(t);
            for (LinkType t : LinkType.values()) links[t.ordinal()] = preset.linkType(t);
            all = preset;
        }
    }

    private OperationProbes opProbes() {
        if (opProbes == null) opProbes = new OperationProbes(k);
        return opProbes;
    }

    private TypeProbes typeProbes() {
        if (typeProbes == null) typeProbes = new TypeProbes(k);
        return typeProbes;
    }

    private HookProbes hookProbes() {
        if (hookProbes == null) hookProbes = new HookProbes(k);
        return hookProbes;
    }

    /**
     * Runs one probe; when the outermost probe finishes, the objects made for probing are
     * closed, so no descriptor outlives a probe.
     */
    private Support probe(java.util.function.Supplier<Support> p) {
        depth++;
        try {
            return p.get();
        } catch (RuntimeException e) {
            return Support.no("probe failed: " + e.getMessage());
        } finally {
            if (--depth == 0) {
                if (opProbes != null) opProbes.close();
                if (typeProbes != null) typeProbes.close();
                if (hookProbes != null) hookProbes.close();
            }
        }
    }

    /**
     * Throws unless the operation is supported.
     *
     * @param op the operation
     */
    public void require(Operation op) {
        Support s = ops[op.ordinal()];
        if (s == null) s = operation(op);
        if (!s.supported()) throw new BpfUnsupportedException(Kernel.BACKEND, op, s.reason());
    }

    /**
     * Throws unless the map type is supported.
     *
     * @param t the map type
     */
    public void requireMapType(MapType t) {
        Support s = mapType(t);
        if (!s.supported()) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.MAP_CREATE, s.reason());
    }

    /**
     * Throws unless the program type is supported.
     *
     * @param t the program type
     */
    public void requireProgramType(ProgramType t) {
        Support s = programType(t);
        if (!s.supported()) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.PROG_LOAD, s.reason());
    }

    /**
     * Throws unless the attach type is supported.
     *
     * @param op the operation asking
     * @param t the attach type
     */
    public void requireAttachType(Operation op, AttachType t) {
        Support s = attachType(t);
        if (!s.supported()) throw new BpfUnsupportedException(Kernel.BACKEND, op, s.reason());
    }

    /**
     * One operation's support, probed on first use.
     *
     * @param op the operation
     * @return its support
     */
    public synchronized Support operation(Operation op) {
        Support s = ops[op.ordinal()];
        if (s == null) ops[op.ordinal()] = s = probe(() -> opProbes().operation(op));
        return s;
    }

    /**
     * One map type's support, probed on first use.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support mapType(MapType t) {
        Support s = maps[t.ordinal()];
        if (s == null) maps[t.ordinal()] = s = probe(() -> typeProbes().mapType(t));
        return s;
    }

    /**
     * One program type's support, probed on first use.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support programType(ProgramType t) {
        Support s = progs[t.ordinal()];
        if (s == null) progs[t.ordinal()] = s = probe(() -> typeProbes().programType(t));
        return s;
    }

    /**
     * One attach type's support, probed on first use.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support attachType(AttachType t) {
        Support s = attaches[t.ordinal()];
        if (s == null) attaches[t.ordinal()] = s = probe(() -> hookProbes().attachType(t));
        return s;
    }

    /**
     * One link type's support, probed on first use.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support linkType(LinkType t) {
        Support s = links[t.ordinal()];
        if (s == null) links[t.ordinal()] = s = probe(() -> hookProbes().linkType(t));
        return s;
    }

    /**
     * The full report: probes everything not probed yet, once.
     *
     * @return the capabilities
     */
    public Capabilities capabilities() {
        Capabilities c = all;
        if (c != null) return c;
        synchronized (this) {
            if (all != null) return all;
            Capabilities.Builder b = Capabilities.builder();
            for (Operation op : Operation.values()) b.operation(op, operation(op));
            for (MapType t : MapType.values()) b.mapType(t, mapType(t));
            for (ProgramType t : ProgramType.values()) b.programType(t, programType(t));
            for (AttachType t : AttachType.values()) b.attachType(t, attachType(t));
            for (LinkType t : LinkType.values()) b.linkType(t, linkType(t));
            all = c = b.build();
            return c;
        }
    }
}
