package io.bpf4j.sim.internal.attach;

import io.bpf4j.api.AttachType;
import io.bpf4j.sim.HookResult;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.prog.KernelVm;
import io.bpf4j.sim.internal.prog.SimProgram;
import io.bpf4j.sim.internal.vm.PacketLayout;
import io.bpf4j.sim.internal.vm.Vm;
import io.bpf4j.sim.internal.vm.VmException;
import io.bpf4j.sim.internal.vm.VmPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Runs the programs attached to a hook on one event, with the run loop of the kernel's hook:
 * which programs, in which order, what each sees as its context, and how their return values
 * make the verdict. Every event runs under the kernel's lock, so programs see maps exactly as
 * commands do; each run counts in the program's statistics when they are enabled.
 */
public final class HookRunner {
    /** {@code XDP_ABORTED} .. {@code XDP_REDIRECT}. */
    private static final int XDP_ABORTED = 0;
    private static final int XDP_PASS = 2;
    private static final int XDP_REDIRECT = 4;
    /** {@code TCX_NEXT}, {@code TCX_PASS}, {@code TCX_DROP}, {@code TCX_REDIRECT}. */
    private static final int TCX_NEXT = -1;
    private static final int TCX_PASS = 0;
    private static final int TCX_DROP = 2;
    private static final int TCX_REDIRECT = 7;
    private static final int ETH_HLEN = 14;
    /** A driver's frame is a page; the tail may grow up to the skb_shared_info kept at its end. */
    private static final int PAGE = 4096;
    private static final int XDP_HEADROOM = 256;
    private static final int SHINFO = 320;
    private static final int SKB_HEADROOM = 64 + 2;
    private static final int XDP_MD = 24;
    private static final int SK_BUFF = 192;
    private static final int BPF_SOCK = 80;
    /** {@code MAX_BPF_FUNC_ARGS}: the most arguments a raw tracepoint passes. */
    private static final int MAX_ARGS = 12;

    private final Kernel k;

    /**
     * Creates the runner.
     *
     * @param k the kernel
     */
    public HookRunner(Kernel k) {
        this.k = k;
    }

    /** The runs of one event, and the interpreter they share. */
    private final class Event {
        final Vm vm = KernelVm.create(k, 0);
        final List<HookResult.Run> runs = new ArrayList<>();
        final String hook;

        Event(String hook) {
            this.hook = hook;
        }

        /** Runs one program; the context pointer is made in the Vm by {@code ctx} for this run. */
        int run(SimProgram p, long cookie, ToLongFunction<Vm> ctx) {
            vm.env().attachCookie(cookie);
            long t0 = System.nanoTime();
            long r0;
            try {
                r0 = vm.run(p.vm(), ctx.applyAsLong(vm));
            } catch (VmException e) {
                throw new IllegalStateException(p.describe() + " (id " + p.id() + ") faulted at " + hook
                        + ", which the kernel's verifier would have prevented: " + e.getMessage(), e);
            }
            p.account(1, System.nanoTime() - t0);
            int ret = (int) r0;
            runs.add(new HookResult.Run(p.id(), p.name(), ret));
            return ret;
        }
    }

    private static long cookie(Entry e) {
        return e.link == null ? 0 : e.link.cookie;
    }

    /**
     * A frame arriving at an interface's XDP hook ({@code netif_receive_generic_xdp()} /
     * a driver's {@code bpf_prog_run_xdp()}).
     *
     * @param ifindex the interface
     * @param frame the frame, from its Ethernet header
     * @return the action: what the program returned, {@code XDP_PASS} with no program, and
     *     {@code XDP_ABORTED} for a value the kernel does not know (it drops those after a warning)
     */
    public HookResult xdp(int ifindex, byte[] frame) {
        checkFrame(frame, PAGE - XDP_HEADROOM - SHINFO);
        synchronized (k) {
            k.checkOpen();
            SimLink l = Hooks.of(k).xdpLink(ifindex);
            if (l == null) return new HookResult(XDP_PASS, List.of(), frame, 0);
            VmPacket pkt = VmPacket.of(frame, XDP_HEADROOM, PAGE - SHINFO - XDP_HEADROOM - frame.length);
            Event ev = new Event("XDP of ifindex " + ifindex);
            byte[] ctx = new byte[XDP_MD];
            put32(ctx, 12, ifindex); // ingress_ifindex; rx_queue_index 0
            int act = ev.run(l.prog, l.cookie, vm -> vm.packetContext(ctx, pkt, PacketLayout.XDP));
            int verdict = act >= XDP_ABORTED && act <= XDP_REDIRECT ? act : XDP_ABORTED;
            return new HookResult(verdict, ev.runs, pkt.bytes(), 0);
        }
    }

    /**
     * A frame at an interface's TCX ingress or egress hook ({@code tcx_run()}): programs run in
     * list order while they return {@code TCX_NEXT}; the first other value stops the list, and
     * {@code tcx_action_code()} keeps {@code TCX_PASS}, {@code TCX_DROP} and {@code TCX_REDIRECT}
     * and turns anything else into {@code TCX_NEXT}. Both directions see the frame from its
     * Ethernet header ({@code tcx_run()} pushes the MAC header at ingress).
     *
     * @param ifindex the interface
     * @param dir {@link AttachType#TCX_INGRESS} or {@link AttachType#TCX_EGRESS}
     * @param frame the frame
     * @param mark {@code skb->mark} on arrival
     * @return the result; verdict {@code TCX_NEXT} means no program decided and the packet goes on
     */
    public HookResult tcx(int ifindex, AttachType dir, byte[] frame, int mark) {
        checkFrame(frame, PAGE - SKB_HEADROOM - SHINFO);
        synchronized (k) {
            k.checkOpen();
            List<Entry> progs = Hooks.of(k).mprogEntries(ifindex, dir);
            VmPacket pkt = VmPacket.of(frame, SKB_HEADROOM, SHINFO);
            // The helpers that resize the skb or move its VLAN tag keep len, protocol and the tag
            // in the packet; the MAC header is at data, the network header after it.
            pkt.skb((frame[12] & 0xff) | (frame[13] & 0xff) << 8, 14);
            byte[] ctx = new byte[SK_BUFF];
            put32(ctx, 8, mark);
            // skb->protocol is the EtherType in network byte order, read by the program as a u32.
            put32(ctx, 16, (frame[12] & 0xff) | (frame[13] & 0xff) << 8);
            if (dir == AttachType.TCX_INGRESS) put32(ctx, 36, ifindex);
            put32(ctx, 40, ifindex);
            Event ev = new Event(dir + " of ifindex " + ifindex);
            int ret = TCX_NEXT;
            for (Entry e : progs) {
                put32(ctx, 0, pkt.length());
                ret = ev.run(e.prog, cookie(e), vm -> vm.packetContext(ctx, pkt, PacketLayout.SKB));
                if (ret != TCX_NEXT) break;
            }
            int verdict = ret == TCX_PASS || ret == TCX_DROP || ret == TCX_REDIRECT ? ret : TCX_NEXT;
            return new HookResult(verdict, ev.runs, pkt.bytes(), le32(ctx, 8));
        }
    }

    /**
     * The cgroup of an attach target: a descriptor from {@code openTarget(Cgroup)} or an opaque
     * cgroup number, as {@code BPF_PROG_ATTACH} takes it.
     *
     * @param target the descriptor or number
     * @return the cgroup id
     */
    public long cgroup(int target) {
        return k.run(io.bpf4j.api.Operation.PROG_QUERY, () -> new AttachCmds(k).cgroup(target));
    }

    /**
     * The cgroup of a path, as {@code openTarget(Cgroup)} names it.
     *
     * @param path the cgroup directory
     * @return the cgroup id
     */
    public long cgroup(String path) {
        synchronized (k) {
            k.checkOpen();
            return Cgroups.of(k).idOf(path);
        }
    }

    /**
     * An IP packet passing a cgroup's inet ingress or egress hook
     * ({@code __cgroup_bpf_run_filter_skb()}): every effective program runs, none is skipped
     * ({@code bpf_prog_run_array_cg()}), each with a zeroed {@code cb} ({@code __bpf_prog_run_save_cb()});
     * one returning 0 (at egress: an even value, bit 1 being congestion notification) denies.
     *
     * @param cgroup the cgroup id
     * @param dir {@link AttachType#CGROUP_INET_INGRESS} or {@link AttachType#CGROUP_INET_EGRESS}
     * @param ifindex the device the packet arrives on or leaves by
     * @param packet the packet from its IP header
     * @return the result, verdict 1 allow or 0 deny
     */
    public HookResult cgroupSkb(long cgroup, AttachType dir, int ifindex, byte[] packet) {
        int version = packet.length == 0 ? 0 : (packet[0] & 0xff) >> 4;
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("packet: cgroup skb hooks see IPv4 or IPv6 packets, this starts with version " + version);
        }
        if (packet.length > PAGE - SKB_HEADROOM - SHINFO) throw new IllegalArgumentException("packet: larger than one page");
        synchronized (k) {
            k.checkOpen();
            List<Entry> progs = Hooks.of(k).cgroupEffective(Cgroups.of(k), cgroup, dir);
            VmPacket pkt = VmPacket.of(packet, SKB_HEADROOM, SHINFO);
            byte[] ctx = new byte[SK_BUFF];
            put32(ctx, 0, packet.length);
            put32(ctx, 16, version == 4 ? 0x0008 : 0xdd86);
            if (dir == AttachType.CGROUP_INET_INGRESS) put32(ctx, 36, ifindex);
            put32(ctx, 40, ifindex);
            put32(ctx, 88, version == 4 ? 2 : 10); // the socket's family: AF_INET, AF_INET6
            Event ev = new Event(dir + " of cgroup " + cgroup);
            boolean allow = true;
            boolean egress = dir == AttachType.CGROUP_INET_EGRESS;
            for (Entry e : progs) {
                Arrays.fill(ctx, 48, 68, (byte) 0);
                int ret = ev.run(e.prog, cookie(e), vm -> vm.packetContext(ctx, pkt, PacketLayout.SKB));
                if ((egress ? ret & 1 : ret) == 0) allow = false;
            }
            return new HookResult(allow ? 1 : 0, ev.runs, pkt.bytes(), le32(ctx, 8));
        }
    }

    /**
     * A socket created in a cgroup ({@code BPF_CGROUP_INET_SOCK_CREATE}): every effective
     * program runs on the {@code struct bpf_sock}; one returning 0 makes {@code socket(2)} fail
     * with {@code EPERM}.
     *
     * @param cgroup the cgroup id
     * @param family the address family
     * @param type the socket type
     * @param protocol the protocol
     * @return the result, verdict 1 allow or 0 deny, and the mark the programs set
     */
    public HookResult sockCreate(long cgroup, int family, int type, int protocol) {
        synchronized (k) {
            k.checkOpen();
            List<Entry> progs = Hooks.of(k).cgroupEffective(Cgroups.of(k), cgroup, AttachType.CGROUP_INET_SOCK_CREATE);
            byte[] ctx = new byte[BPF_SOCK];
            put32(ctx, 4, family);
            put32(ctx, 8, type);
            put32(ctx, 12, protocol);
            Event ev = new Event("CGROUP_INET_SOCK_CREATE of cgroup " + cgroup);
            boolean allow = true;
            for (Entry e : progs) {
                if (ev.run(e.prog, cookie(e), vm -> vm.context(ctx)) == 0) allow = false;
            }
            return new HookResult(allow ? 1 : 0, ev.runs, new byte[0], le32(ctx, 16));
        }
    }

    /**
     * A raw tracepoint firing ({@code bpf_trace_run<N>()}): each raw tracepoint link on the name
     * runs its program, in attach order, on the read-only array of the u64 arguments, with the
     * link's cookie; return values are ignored.
     *
     * @param name the tracepoint
     * @param args the arguments, at most 12
     * @return the runs, verdict 0
     */
    public HookResult rawTracepoint(String name, long[] args) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException("args: " + args.length + " > " + MAX_ARGS);
        byte[] ctx = new byte[args.length * 8];
        for (int i = 0; i < args.length; i++) {
            put32(ctx, i * 8, (int) args[i]);
            put32(ctx, i * 8 + 4, (int) (args[i] >>> 32));
        }
        synchronized (k) {
            k.checkOpen();
            Event ev = new Event("raw tracepoint " + name);
            for (SimLink l : Tracepoints.of(k).raw(name)) {
                ev.run(l.prog, l.cookie, vm -> ctx.length == 0 ? 0 : vm.region(ctx, 0, ctx.length, false));
            }
            return new HookResult(0, ev.runs, new byte[0], 0);
        }
    }

    /**
     * A tracepoint firing for perf event programs ({@code trace_call_bpf()}): every program on
     * the tracepoint runs in attach order on the read-only trace record, each with its link's
     * cookie; the verdict is the AND of their return values starting from 1, and 0 means the
     * kernel does not store the perf sample.
     *
     * @param category the tracefs category
     * @param name the event
     * @param record the record as tracefs lays it out, from its 8-byte common header
     * @return the runs and the verdict
     */
    public HookResult tracepoint(String category, String name, byte[] record) {
        byte[] ctx = record.clone();
        synchronized (k) {
            k.checkOpen();
            Event ev = new Event("tracepoint " + category + "/" + name);
            int verdict = 1;
            for (SimLink l : Tracepoints.of(k).perf(category, name)) {
                verdict &= ev.run(l.prog, l.cookie, vm -> ctx.length == 0 ? 0 : vm.region(ctx, 0, ctx.length, false));
            }
            return new HookResult(verdict, ev.runs, new byte[0], 0);
        }
    }

    private static void checkFrame(byte[] frame, int max) {
        if (frame.length < ETH_HLEN) {
            throw new IllegalArgumentException("frame: " + frame.length + " bytes, less than an Ethernet header");
        }
        if (frame.length > max) {
            throw new IllegalArgumentException("frame: " + frame.length + " bytes; multi-buffer frames are not simulated");
        }
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }
}
