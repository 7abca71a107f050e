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
 *
 * <p>Only conclusive answers are cached. A probe that could not finish (the process was out of
 * descriptors or memory, a call was interrupted, or the probe failed in a way it did not
 * expect) gives an {@linkplain Support#unknown(String) unknown} entry: the gate lets the command
 * through to the kernel, whose own error, if any, becomes an ordinary {@link io.bpf4j.api.BpfException},
 * and the entry is probed again the next time it is needed. A report with unknown entries is
 * returned but not kept.
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
            // Unknown entries of a preset report are left to be probed.
            for (Operation op : Operation.values()) ops[op.ordinal()] = known(preset.operation(op));
            for (MapType t : MapType.values()) maps[t.ordinal()] = known(preset.mapType(t));
            for (ProgramType t : ProgramType.values()) progs[t.ordinal()] = known(preset.programType(t));
            for (AttachType t : AttachType.values()) attaches[t.ordinal()] = known(preset.attachType(t));
            for (LinkType t : LinkType.values()) links[t.ordinal()] = known(preset.linkType(t));
            if (preset.conclusive()) all = linuxOnly(preset);
        }
    }

    /** A preset report with eBPF for Windows' own program types unsupported, whatever it said. */
    private static Capabilities linuxOnly(Capabilities preset) {
        Capabilities.Builder b = Capabilities.builder();
        for (Operation op : Operation.values()) b.operation(op, preset.operation(op));
        for (MapType t : MapType.values()) b.mapType(t, preset.mapType(t));
        for (ProgramType t : ProgramType.values()) {
            b.programType(t, t.windowsOnly() ? TypeProbes.windowsOnly(t) : preset.programType(t));
        }
        for (AttachType t : AttachType.values()) b.attachType(t, preset.attachType(t));
        for (LinkType t : LinkType.values()) b.linkType(t, preset.linkType(t));
        return b.build();
    }

    private static Support known(Support s) {
        return s.known() ? s : null;
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
     * closed, so no descriptor outlives a probe. A probe that cannot finish makes the outermost
     * probe's entry unknown: one probe inside another (an attach type asks for its program
     * type) passes the failure up, so no entry is decided on an unknown one.
     */
    private Support probe(java.util.function.Supplier<Support> p) {
        depth++;
        try {
            return p.get();
        } catch (ProbeKit.Inconclusive e) {
            if (depth > 1) throw e;
            return Support.unknown("probe inconclusive (" + e.getMessage() + "); will be probed again");
        } catch (RuntimeException e) {
            if (depth > 1) throw e;
            return Support.unknown("probe failed unexpectedly (" + e + "); will be probed again");
        } finally {
            if (--depth == 0) {
                if (opProbes != null) opProbes.close();
                if (typeProbes != null) typeProbes.close();
                if (hookProbes != null) hookProbes.close();
            }
        }
    }

    /** Only a conclusive "no" refuses a command; an unknown entry lets it reach the kernel. */
    private static boolean refuses(Support s) {
        return !s.supported() && s.known();
    }

    /**
     * Throws unless the operation is supported or its support is unknown.
     *
     * @param op the operation
     */
    public void require(Operation op) {
        Support s = ops[op.ordinal()];
        if (s == null) s = operation(op);
        if (refuses(s)) throw new BpfUnsupportedException(Kernel.BACKEND, op, s.reason());
    }

    /**
     * Throws unless the map type is supported or its support is unknown.
     *
     * @param t the map type
     */
    public void requireMapType(MapType t) {
        Support s = mapType(t);
        if (refuses(s)) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.MAP_CREATE, s.reason());
    }

    /**
     * Throws unless the program type is supported or its support is unknown.
     *
     * @param t the program type
     */
    public void requireProgramType(ProgramType t) {
        Support s = programType(t);
        if (refuses(s)) throw new BpfUnsupportedException(Kernel.BACKEND, Operation.PROG_LOAD, s.reason());
    }

    /**
     * Throws unless the attach type is supported or its support is unknown.
     *
     * @param op the operation asking
     * @param t the attach type
     */
    public void requireAttachType(Operation op, AttachType t) {
        Support s = attachType(t);
        if (refuses(s)) throw new BpfUnsupportedException(Kernel.BACKEND, op, s.reason());
    }

    /**
     * One operation's support, probed on first use and again while unknown.
     *
     * @param op the operation
     * @return its support
     */
    public synchronized Support operation(Operation op) {
        Support s = ops[op.ordinal()];
        if (s == null) {
            s = probe(() -> opProbes().operation(op));
            if (s.known()) ops[op.ordinal()] = s;
        }
        return s;
    }

    /**
     * One map type's support, probed on first use and again while unknown.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support mapType(MapType t) {
        Support s = maps[t.ordinal()];
        if (s == null) {
            s = probe(() -> typeProbes().mapType(t));
            if (s.known()) maps[t.ordinal()] = s;
        }
        return s;
    }

    /**
     * One program type's support, probed on first use and again while unknown.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support programType(ProgramType t) {
        // Not probed and not taken from a preset: Linux has no such type, and no number to send.
        if (t.windowsOnly()) return TypeProbes.windowsOnly(t);
        Support s = progs[t.ordinal()];
        if (s == null) {
            s = probe(() -> typeProbes().programType(t));
            if (s.known()) progs[t.ordinal()] = s;
        }
        return s;
    }

    /**
     * One attach type's support, probed on first use and again while unknown.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support attachType(AttachType t) {
        Support s = attaches[t.ordinal()];
        if (s == null) {
            s = probe(() -> hookProbes().attachType(t));
            if (s.known()) attaches[t.ordinal()] = s;
        }
        return s;
    }

    /**
     * One link type's support, probed on first use and again while unknown.
     *
     * @param t the type
     * @return its support
     */
    public synchronized Support linkType(LinkType t) {
        Support s = links[t.ordinal()];
        if (s == null) {
            s = probe(() -> hookProbes().linkType(t));
            if (s.known()) links[t.ordinal()] = s;
        }
        return s;
    }

    /**
     * The full report: probes everything not decided yet. A report whose entries are all
     * conclusive is kept and returned from then on; one with unknown entries is not.
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
            c = b.build();
            if (c.conclusive()) all = c;
            return c;
        }
    }
}
