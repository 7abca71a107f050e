package io.bpf4j.sim;

import io.bpf4j.api.AttachType;
import io.bpf4j.sim.internal.attach.HookRunner;
import java.util.Objects;

/**
 * Feeds events to the simulator's hooks, where the attached programs run as the kernel runs
 * them: in attach order, on the context the hook builds, with the hook's rules for turning their
 * return values into a verdict. Map updates, {@code bpf_trace_printk} lines
 * ({@link SimBpf#tracePipe()}) and ring buffer and perf buffer records (read with the api's
 * {@code io.bpf4j.api.events} readers) the programs make are visible afterwards through the usual
 * API.
 *
 * {@snippet :
 * try (SimBpf sim = Simulator.builder().build();
 *      BpfProgram prog = BpfProgram.load(sim, spec);
 *      BpfLink link = prog.attachXdp(7, XdpMode.DEFAULT)) {
 *     HookResult r = sim.hooks().xdp(7, frame);
 *     assertEquals(Hooks.XDP_DROP, r.verdict());
 * }
 * }
 *
 * <p>Hooks, and what each program sees:
 * <ul>
 * <li>{@link #xdp}: the interface's XDP program on a {@code struct xdp_md} whose
 *     {@code data}/{@code data_end}/{@code data_meta} point into a page-sized frame (256 bytes
 *     of headroom, the tail may grow up to the {@code skb_shared_info}), so
 *     {@code bpf_xdp_adjust_head/tail} work as on a driver.</li>
 * <li>{@link #tcx}: the TCX list in mprog order on a {@code struct __sk_buff} with {@code len},
 *     {@code protocol}, {@code mark}, {@code ifindex}, {@code ingress_ifindex} and the packet
 *     pointers filled in.</li>
 * <li>{@link #cgroupSkb} and {@link #cgroupSockCreate}: the cgroup's effective programs (its own,
 *     then its ancestors' while they allow multiple programs), every one of them.</li>
 * <li>{@link #rawTracepoint} and {@link #tracepoint}: the programs of raw tracepoint links and
 *     of perf event links on tracepoints, with their links' cookies for
 *     {@code bpf_get_attach_cookie}.</li>
 * </ul>
 *
 * <p>A program that faults at run time (reads outside its memory, for example), which the
 * kernel's verifier would have refused to load, stops the event with an
 * {@link IllegalStateException} naming the program and the fault. Events run one at a time on
 * CPU 0, under the simulator's lock.
 */
public final class Hooks {
    /** {@code XDP_ABORTED}: the program failed; the frame is dropped. */
    public static final int XDP_ABORTED = 0;
    /** {@code XDP_DROP}. */
    public static final int XDP_DROP = 1;
    /** {@code XDP_PASS}: on to the network stack. */
    public static final int XDP_PASS = 2;
    /** {@code XDP_TX}: back out of the same interface. */
    public static final int XDP_TX = 3;
    /** {@code XDP_REDIRECT}. */
    public static final int XDP_REDIRECT = 4;
    /** {@code TCX_NEXT}: this program has no opinion; the next one runs. */
    public static final int TCX_NEXT = -1;
    /** {@code TCX_PASS}. */
    public static final int TCX_PASS = 0;
    /** {@code TCX_DROP}. */
    public static final int TCX_DROP = 2;
    /** {@code TCX_REDIRECT}. */
    public static final int TCX_REDIRECT = 7;
    /** The verdict of a cgroup hook that lets the packet or socket through. */
    public static final int ALLOW = 1;
    /** The verdict of a cgroup hook that refuses it (the syscall sees {@code EPERM}). */
    public static final int DENY = 0;

    private final HookRunner runner;

    Hooks(HookRunner runner) {
        this.runner = runner;
    }

    private static void requireIfindex(int ifindex) {
        if (ifindex <= 0) throw new IllegalArgumentException("ifindex: " + ifindex + " is not an interface index");
    }

    /**
     * A frame arrives at an interface: its XDP program runs.
     *
     * @param ifindex the interface
     * @param frame the frame from its Ethernet header: 14 to 3520 bytes
     * @return the verdict is the action ({@link #XDP_DROP}, {@link #XDP_PASS} ...):
     *     {@link #XDP_PASS} with no program, {@link #XDP_ABORTED} for a value the kernel does not
     *     know (it drops those too); the packet is the frame as the program left it
     */
    public HookResult xdp(int ifindex, byte[] frame) {
        requireIfindex(ifindex);
        return runner.xdp(ifindex, Objects.requireNonNull(frame, "frame"));
    }

    /**
     * A frame passes an interface's TCX ingress or egress hook with {@code skb->mark} 0.
     *
     * @param ifindex the interface
     * @param direction {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     * @param frame the frame from its Ethernet header
     * @return see {@link #tcx(int, AttachType, byte[], int)}
     */
    public HookResult tcx(int ifindex, AttachType direction, byte[] frame) {
        return tcx(ifindex, direction, frame, 0);
    }

    /**
     * A frame passes an interface's TCX ingress or egress hook. Programs run in list order while
     * they return {@link #TCX_NEXT}; the first other value ends the list. Both directions see the
     * frame from its Ethernet header.
     *
     * @param ifindex the interface
     * @param direction {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     * @param frame the frame from its Ethernet header: 14 to 3710 bytes
     * @param mark {@code skb->mark} on arrival
     * @return the verdict is {@link #TCX_PASS}, {@link #TCX_DROP} or {@link #TCX_REDIRECT} as the
     *     deciding program returned it, else {@link #TCX_NEXT} (no program, or none decided, or an
     *     unknown value, which the kernel treats as no decision: the packet goes on); the mark is
     *     {@code skb->mark} as the programs left it
     */
    public HookResult tcx(int ifindex, AttachType direction, byte[] frame, int mark) {
        requireIfindex(ifindex);
        if (direction != AttachType.TCX_INGRESS && direction != AttachType.TCX_EGRESS) {
            throw new IllegalArgumentException("direction: " + direction + " is not TCX_INGRESS or TCX_EGRESS");
        }
        return runner.tcx(ifindex, direction, Objects.requireNonNull(frame, "frame"), mark);
    }

    private static void requireSkbDirection(AttachType direction) {
        if (direction != AttachType.CGROUP_INET_INGRESS && direction != AttachType.CGROUP_INET_EGRESS) {
            throw new IllegalArgumentException("direction: " + direction + " is not CGROUP_INET_INGRESS or CGROUP_INET_EGRESS");
        }
    }

    /**
     * An IP packet enters or leaves a socket of a cgroup, named by path as in
     * {@code attachCgroup(path, ...)}.
     *
     * @param cgroupPath the cgroup directory
     * @param direction {@link AttachType#CGROUP_INET_INGRESS} or {@link AttachType#CGROUP_INET_EGRESS}
     * @param ifindex the device it arrives on or leaves by ({@code skb->ifindex})
     * @param packet the packet from its IPv4 or IPv6 header
     * @return see {@link #cgroupSkb(int, AttachType, int, byte[])}
     */
    public HookResult cgroupSkb(String cgroupPath, AttachType direction, int ifindex, byte[] packet) {
        requireSkbDirection(direction);
        long cg = runner.cgroup(Objects.requireNonNull(cgroupPath, "cgroupPath"));
        return runner.cgroupSkb(cg, direction, ifindex, Objects.requireNonNull(packet, "packet"));
    }

    /**
     * An IP packet enters or leaves a socket of a cgroup. Every effective program runs (none is
     * skipped when one denies), each seeing {@code skb->data} at the IP header; one returning 0
     * (at egress, an even value: bit 1 only asks for congestion notification) denies.
     *
     * @param cgroup a cgroup descriptor from {@code openTarget(Cgroup)}, or the opaque cgroup
     *     number a program was attached to
     * @param direction {@link AttachType#CGROUP_INET_INGRESS} or {@link AttachType#CGROUP_INET_EGRESS}
     * @param ifindex the device it arrives on or leaves by ({@code skb->ifindex})
     * @param packet the packet from its IPv4 or IPv6 header
     * @return the verdict is {@link #ALLOW} or {@link #DENY}
     * @throws io.bpf4j.api.BpfException EBADF when {@code cgroup} is a descriptor of something else
     */
    public HookResult cgroupSkb(int cgroup, AttachType direction, int ifindex, byte[] packet) {
        requireSkbDirection(direction);
        return runner.cgroupSkb(runner.cgroup(cgroup), direction, ifindex, Objects.requireNonNull(packet, "packet"));
    }

    /**
     * A process in a cgroup creates a socket: the cgroup's effective
     * {@link AttachType#CGROUP_INET_SOCK_CREATE} programs run on its {@code struct bpf_sock}.
     *
     * @param cgroupPath the cgroup directory
     * @param family the address family, e.g. 2 for {@code AF_INET}
     * @param type the socket type, e.g. 1 for {@code SOCK_STREAM}
     * @param protocol the protocol, e.g. 6 for TCP
     * @return the verdict is {@link #ALLOW} or {@link #DENY} ({@code socket(2)} fails with
     *     {@code EPERM}); the mark is the socket's mark as the programs set it
     */
    public HookResult cgroupSockCreate(String cgroupPath, int family, int type, int protocol) {
        long cg = runner.cgroup(Objects.requireNonNull(cgroupPath, "cgroupPath"));
        return runner.sockCreate(cg, family, type, protocol);
    }

    /**
     * A raw tracepoint fires: the program of every raw tracepoint link on this name runs, in
     * attach order, on the array of arguments ({@code u64 *ctx}, read-only).
     *
     * @param name the tracepoint, e.g. {@code sys_enter}
     * @param args the tracepoint's arguments, at most 12
     * @return the runs; the verdict is 0, as the kernel ignores the return values
     */
    public HookResult rawTracepoint(String name, long... args) {
        return runner.rawTracepoint(Objects.requireNonNull(name, "name"), Objects.requireNonNull(args, "args"));
    }

    /**
     * A tracepoint fires for the programs attached to it through perf event links
     * ({@code attachTracepoint(category, name, cookie)}), which all run, in attach order, on the
     * read-only trace record.
     *
     * @param category the tracefs category, e.g. {@code syscalls}
     * @param name the event, e.g. {@code sys_enter_openat}
     * @param record the record as the event's tracefs {@code format} file lays it out, starting
     *     with the 8-byte common header ({@code common_type}, flags, preempt count, pid)
     * @return the runs; the verdict is the AND of the return values starting from 1 (0: the
     *     kernel does not store the perf sample)
     */
    public HookResult tracepoint(String category, String name, byte[] record) {
        return runner.tracepoint(Objects.requireNonNull(category, "category"), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(record, "record"));
    }
}
