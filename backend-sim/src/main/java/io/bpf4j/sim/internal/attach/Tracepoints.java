package io.bpf4j.sim.internal.attach;

import io.bpf4j.sim.internal.kernel.KObject;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.kernel.ObjKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated tracepoints: which raw tracepoint links and which tracepoint perf events carry
 * programs, each list in attach order. The kernel runs raw tracepoint probes in registration
 * order (same priority, {@code func_add()} appends), and a tracepoint's perf event programs from
 * one {@code prog_array} per trace event that {@code perf_event_attach_bpf_prog()} appends to, so
 * every program attached to a tracepoint runs whatever the pid or CPU its perf event was opened for.
 */
public final class Tracepoints {
    private final Map<String, List<SimLink>> raw = new HashMap<>();
    private final Map<String, List<SimLink>> perf = new HashMap<>();

    /** Creates an empty registry. */
    public Tracepoints() {
    }

    /**
     * The kernel's registry.
     *
     * @param k the kernel
     * @return the registry
     */
    public static Tracepoints of(Kernel k) {
        return k.subsystem(Tracepoints.class, Tracepoints::new);
    }

    private static void add(Map<String, List<SimLink>> m, String key, SimLink l) {
        m.computeIfAbsent(key, x -> new ArrayList<>()).add(l);
        l.detacher = () -> {
            List<SimLink> list = m.get(key);
            if (list == null) return;
            list.remove(l);
            if (list.isEmpty()) m.remove(key);
        };
    }

    /**
     * Registers a raw tracepoint link; closing it unregisters it.
     *
     * @param name the tracepoint
     * @param l the link
     */
    void addRaw(String name, SimLink l) {
        add(raw, name, l);
    }

    /**
     * Registers a perf event link on a tracepoint; closing it unregisters it and frees the event.
     *
     * @param ev the perf event
     * @param l the link
     */
    void addPerf(PerfEvent ev, SimLink l) {
        ev.link = l;
        ev.hold();
        add(perf, ev.key(), l);
        Runnable unlist = l.detacher;
        l.detacher = () -> {
            unlist.run();
            ev.link = null;
            ev.put();
        };
    }

    /**
     * The raw tracepoint links of a tracepoint.
     *
     * @param name the tracepoint
     * @return the links in attach order, a copy
     */
    List<SimLink> raw(String name) {
        return new ArrayList<>(raw.getOrDefault(name, List.of()));
    }

    /**
     * The perf event links of a tracepoint.
     *
     * @param category the tracefs category
     * @param name the event
     * @return the links in attach order, a copy
     */
    List<SimLink> perf(String category, String name) {
        return new ArrayList<>(perf.getOrDefault(category + "/" + name, List.of()));
    }

    /**
     * A virtual perf event on a tracepoint ({@code perf_event_open(PERF_TYPE_TRACEPOINT)}), which a
     * perf event link attaches a program to; one program per event.
     */
    public static final class PerfEvent extends KObject {
        final String category;
        final String name;
        SimLink link;

        /**
         * Creates the event.
         *
         * @param category the tracefs category
         * @param name the event
         */
        public PerfEvent(String category, String name) {
            super(ObjKind.OTHER);
            this.category = category;
            this.name = name;
        }

        String key() {
            return category + "/" + name;
        }

        @Override
        protected void destroy() {
        }

        @Override
        protected Kernel kernel() {
            return null;
        }

        @Override
        public String describe() {
            return "perf event " + key();
        }
    }
}
