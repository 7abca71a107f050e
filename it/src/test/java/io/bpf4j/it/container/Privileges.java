package io.bpf4j.it.container;

import io.bpf4j.api.Operation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which capabilities each operation needs on Linux, written down here from the kernel
 * ({@code kernel/bpf/syscall.c}, Linux 6.18) and held to the truth by the privilege matrix: a
 * cell expects exactly the operations whose needs its process' {@code CapEff} does not meet to
 * be reported unsupported, and the capability suite exercises the rest. Kept apart from the
 * backend's own probes on purpose, so that the two can disagree and a cell can fail.
 * {@code docs/privileges.md} is generated from this table ({@link #markdownTable()}).
 */
public final class Privileges {
    /** A capability the bpf() paths check, with its number from {@code include/uapi/linux/capability.h}. */
    public enum Cap {
        /** CAP_NET_ADMIN: networking program types, socket and device maps, attaching at interfaces. */
        NET_ADMIN(12),
        /** CAP_SYS_ADMIN: walking object ids and opening objects by id, stats, task fd queries. */
        SYS_ADMIN(21),
        /**
         * CAP_SYSLOG: raw program images ({@code bpf_dump_raw_ok()}, that is
         * {@code kallsyms_show_value()}), unless {@code kernel.kptr_restrict} is 0 and
         * {@code kernel.perf_event_paranoid} at most 1; CAP_SYS_ADMIN does not stand in.
         */
        SYSLOG(34),
        /** CAP_PERFMON: tracing program types and CPU-wide perf events. */
        PERFMON(38),
        /** CAP_BPF: creating maps and loading programs at all. */
        BPF(39);

        final int number;

        Cap(int number) {
            this.number = number;
        }

        /** Whether a {@code CapEff} mask holds this capability, or CAP_SYS_ADMIN where the kernel takes it instead. */
        boolean heldBy(long capEff) {
            boolean own = (capEff & (1L << number)) != 0;
            // bpf_capable(), perfmon_capable() and bpf_net_capable() each accept CAP_SYS_ADMIN.
            return own || (this != SYSLOG && (capEff & (1L << SYS_ADMIN.number)) != 0);
        }
    }

    private static final Map<Operation, Set<Cap>> NEEDS = table();

    /**
     * What a process without capabilities may still do when {@code kernel.unprivileged_bpf_disabled}
     * is 0: socket filters and the maps they use (the {@code bpf_capable()} checks in
     * {@code map_create()} and {@code bpf_prog_load()} spare these). Not measured on machines where
     * the sysctl is 1 or 2, which refuse every bpf() command first.
     */
    private static final Set<Operation> UNPRIVILEGED = EnumSet.of(Operation.MAP_CREATE, Operation.MAP_LOOKUP_ELEM,
            Operation.MAP_UPDATE_ELEM, Operation.MAP_DELETE_ELEM, Operation.MAP_GET_NEXT_KEY,
            Operation.MAP_LOOKUP_AND_DELETE_ELEM, Operation.MAP_FREEZE, Operation.MAP_LOOKUP_BATCH,
            Operation.MAP_LOOKUP_AND_DELETE_BATCH, Operation.MAP_UPDATE_BATCH, Operation.MAP_DELETE_BATCH,
            Operation.OBJ_GET_INFO_BY_FD, Operation.OBJ_PIN, Operation.OBJ_GET, Operation.PROG_LOAD,
            Operation.PROG_TEST_RUN, Operation.RINGBUF_MAP, Operation.MAP_MMAP);

    private Privileges() {
    }

    private static Map<Operation, Set<Cap>> table() {
        Map<Operation, Set<Cap>> t = new EnumMap<>(Operation.class);
        for (Operation op : Operation.values()) t.put(op, EnumSet.of(Cap.BPF)); // every map and program needs CAP_BPF
        for (Operation op : List.of(Operation.PROG_GET_NEXT_ID, Operation.MAP_GET_NEXT_ID, Operation.BTF_GET_NEXT_ID,
                Operation.LINK_GET_NEXT_ID, Operation.PROG_GET_FD_BY_ID, Operation.MAP_GET_FD_BY_ID,
                Operation.BTF_GET_FD_BY_ID, Operation.LINK_GET_FD_BY_ID, Operation.ENABLE_STATS, Operation.TASK_FD_QUERY)) {
            t.put(op, EnumSet.of(Cap.SYS_ADMIN)); // capable(CAP_SYS_ADMIN) in the id and stats commands
        }
        // The suites attach at the loopback device with tcx: a SCHED_CLS program (bpf_net_capable()).
        for (Operation op : List.of(Operation.PROG_ATTACH, Operation.PROG_DETACH, Operation.PROG_QUERY,
                Operation.LINK_CREATE, Operation.LINK_UPDATE, Operation.LINK_DETACH)) {
            t.put(op, EnumSet.of(Cap.BPF, Cap.NET_ADMIN));
        }
        // Tracing programs (raw tracepoints, iterators) are perfmon_capable() on top of bpf_capable().
        t.put(Operation.RAW_TRACEPOINT_OPEN, EnumSet.of(Cap.BPF, Cap.PERFMON));
        t.put(Operation.ITER_CREATE, EnumSet.of(Cap.BPF, Cap.PERFMON));
        // A CPU-wide perf event (pid -1) is perfmon_capable() unless perf_event_paranoid allows it.
        t.put(Operation.PERF_BUFFER_OPEN, EnumSet.of(Cap.PERFMON));
        // Translated instructions need bpf_capable(); JIT images are raw kernel memory besides.
        t.put(Operation.PROG_JITED, EnumSet.of(Cap.BPF, Cap.SYSLOG));
        // Neither touches bpf(): an epoll set and an eventfd, and libc's interface lookup.
        t.put(Operation.RING_WAIT, EnumSet.noneOf(Cap.class));
        t.put(Operation.INTERFACE_INDEX, EnumSet.noneOf(Cap.class));
        return t;
    }

    /**
     * What an operation needs.
     *
     * @param op the operation
     * @return its capabilities, each satisfiable by CAP_SYS_ADMIN instead
     */
    public static Set<Cap> needs(Operation op) {
        return NEEDS.get(op);
    }

    /**
     * The operations a process cannot use.
     *
     * @param capEff its {@code CapEff}
     * @return the operations whose needs it does not meet
     */
    public static Set<Operation> denied(long capEff) {
        return denied(capEff, 2, false);
    }

    /**
     * The operations a process cannot use.
     *
     * @param capEff its {@code CapEff}
     * @param unprivilegedBpfDisabled {@code /proc/sys/kernel/unprivileged_bpf_disabled}
     * @param rawDumpsOpen whether {@code kernel.kptr_restrict} is 0 and {@code kernel.perf_event_paranoid}
     *     at most 1, which shows raw kernel addresses, and so JIT images, without CAP_SYSLOG
     * @return the operations whose needs it does not meet
     */
    public static Set<Operation> denied(long capEff, int unprivilegedBpfDisabled, boolean rawDumpsOpen) {
        EnumSet<Operation> out = EnumSet.noneOf(Operation.class);
        if (unprivilegedBpfDisabled == 0 && !Cap.BPF.heldBy(capEff)) {
            for (Operation op : Operation.values()) {
                if (!UNPRIVILEGED.contains(op) && !NEEDS.get(op).isEmpty()) out.add(op);
            }
            return out;
        }
        for (Map.Entry<Operation, Set<Cap>> e : NEEDS.entrySet()) {
            for (Cap c : e.getValue()) {
                if (!c.heldBy(capEff) && !(c == Cap.SYSLOG && rawDumpsOpen)) out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * The table in {@code docs/privileges.md}: one row per operation, with its capabilities and
     * the {@code docker run} flags that grant them.
     *
     * @return the Markdown table, one row a line
     */
    public static List<String> markdownTable() {
        List<String> rows = new ArrayList<>();
        rows.add("| Operation | Capabilities (CAP_SYS_ADMIN stands in for each but CAP_SYSLOG) | docker run |");
        rows.add("|---|---|---|");
        for (Operation op : Operation.values()) {
            Set<Cap> needs = NEEDS.get(op);
            List<String> caps = new ArrayList<>();
            List<String> flags = new ArrayList<>();
            for (Cap c : needs) {
                caps.add("CAP_" + c.name());
                flags.add("`--cap-add " + c.name() + "`");
            }
            rows.add("| " + op.name() + " | " + (caps.isEmpty() ? "none" : String.join(", ", caps)) + " | "
                    + (flags.isEmpty() ? "" : String.join(" ", flags)) + " |");
        }
        return rows;
    }
}
