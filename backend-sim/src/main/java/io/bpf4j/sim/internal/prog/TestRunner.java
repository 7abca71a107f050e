package io.bpf4j.sim.internal.prog;

import io.bpf4j.api.Errno;
import io.bpf4j.api.TestRunFlags;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.sim.internal.kernel.KErr;
import io.bpf4j.sim.internal.kernel.Kernel;
import io.bpf4j.sim.internal.vm.PacketLayout;
import io.bpf4j.sim.internal.vm.Vm;
import io.bpf4j.sim.internal.vm.VmException;
import io.bpf4j.sim.internal.vm.VmPacket;
import java.util.Arrays;

/**
 * {@code BPF_PROG_TEST_RUN} on the interpreter, with the input checks and output rules of the
 * kernel's {@code net/bpf/test_run.c}: packet programs need at least an Ethernet header, socket
 * filters run past the Ethernet header (which comes back zeroed in the output, as the kernel pushes
 * an empty one), output that does not fit fails with {@code ENOSPC}, syscall and raw tracepoint
 * programs take only a context.
 */
public final class TestRunner {
    private static final int ETH_HLEN = 14;
    private static final int XDP_MD = 24;
    private static final int SK_BUFF = 192;
    private static final int XDP_HEADROOM = 256;
    private static final int SHINFO = 320;
    private static final int PAGE = 4096;
    /** {@code NET_SKB_PAD + NET_IP_ALIGN} on x86-64 (where {@code NET_IP_ALIGN} is 0). */
    private static final int SKB_HEADROOM = 64;
    private static final int META_MAX = 255;
    /** {@code sizeof(struct xdp_frame)}: metadata may not reach into it (measured: 216 runs, 220 is EINVAL). */
    private static final int XDP_FRAME = 40;
    private static final int MAX_SKB_FRAGS = 17;
    private static final int LOOPBACK = 1;

    private TestRunner() {
    }

    /**
     * Runs a program.
     *
     * @param k the kernel
     * @param p the program
     * @param s the input
     * @return the output
     */
    public static TestRunResult run(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.cpu() != 0 && (s.flags() & TestRunFlags.RUN_ON_CPU) == 0) throw KErr.of(Errno.EINVAL, "cpu without BPF_F_TEST_RUN_ON_CPU");
        switch (p.type()) {
            case XDP: return xdp(k, p, s);
            case SOCKET_FILTER: case SCHED_CLS: case SCHED_ACT: case CGROUP_SKB: case LWT_IN: case LWT_OUT: case LWT_XMIT:
                return skb(k, p, s);
            case SYSCALL: return syscall(k, p, s);
            case RAW_TRACEPOINT: case RAW_TRACEPOINT_WRITABLE: return rawTp(k, p, s);
            default:
                // No test_run in the type's bpf_prog_ops: the kernel's -ENOTSUPP.
                throw KErr.of(Errno.ENOTSUPP, p.type() + " programs cannot be test-run");
        }
    }

    private static Vm vm(Kernel k, TestRunSpec s) {
        int cpu = (s.flags() & TestRunFlags.RUN_ON_CPU) != 0 ? s.cpu() : 0;
        if (cpu >= k.config().possibleCpus()) throw KErr.of(Errno.ENXIO, "cpu " + cpu + " is not online");
        return KernelVm.create(k, cpu);
    }

    private static int repeat(TestRunSpec s) {
        return s.repeat() == 0 ? 1 : s.repeat();
    }

    /** {@code bpf_ctx_init()}: a context longer than the structure must be zero past its end. */
    private static byte[] ctx(TestRunSpec s, int size) {
        byte[] c = new byte[size];
        if (s.ctxIn() == null) return c;
        for (int i = size; i < s.ctxIn().length; i++) {
            if (s.ctxIn()[i] != 0) throw KErr.of(Errno.E2BIG, "context has non-zero bytes past " + size);
        }
        System.arraycopy(s.ctxIn(), 0, c, 0, Math.min(size, s.ctxIn().length));
        return c;
    }

    private static TestRunResult xdp(Kernel k, SimProgram p, TestRunSpec s) {
        if ((s.flags() & ~TestRunFlags.XDP_LIVE_FRAMES) != 0) throw KErr.of(Errno.EINVAL, "flags");
        if ((s.flags() & TestRunFlags.XDP_LIVE_FRAMES) != 0) throw KErr.of(Errno.EOPNOTSUPP, "live frames are not simulated");
        if (s.batchSize() != 0) throw KErr.of(Errno.EINVAL, "batch_size without live frames");
        byte[] data = s.dataIn() == null ? new byte[0] : s.dataIn();
        // bpf_prog_test_run_xdp(): a context only when one goes in or out; its data is the
        // metadata length, taken from the headroom, and data_end the linear part's end.
        byte[] ctx = s.ctxIn() == null && s.ctxSizeOut() == 0 ? null : ctx(s, XDP_MD);
        int headroom = XDP_HEADROOM;
        int linear = data.length;
        int metaLen = 0;
        if (ctx != null) {
            metaLen = le32(ctx, 0);
            int dataEnd = le32(ctx, 4);
            if (le32(ctx, 8) != 0 || Integer.compareUnsigned(dataEnd, data.length) > 0
                    || Integer.compareUnsigned(metaLen, dataEnd) > 0 || (metaLen & 3) != 0 || metaLen > META_MAX
                    || metaLen > XDP_HEADROOM - XDP_FRAME) {
                throw KErr.of(Errno.EINVAL, "xdp_md");
            }
            headroom -= metaLen;
            linear = dataEnd;
        }
        int maxLinear = PAGE - headroom - SHINFO;
        linear = Math.min(linear, maxLinear);
        // The frame as a whole holds an Ethernet header; its linear part may be shorter (even
        // empty, with a context whose data_end is 0): the rest goes to fragments.
        if (data.length < ETH_HLEN) throw KErr.of(Errno.EINVAL, "data shorter than an Ethernet header");
        int ingress = LOOPBACK;
        int rxQueue = 0;
        if (ctx != null) {
            if (le32(ctx, 20) != 0) throw KErr.of(Errno.EINVAL, "egress_ifindex");
            int in = le32(ctx, 12);
            rxQueue = le32(ctx, 16);
            if (in == 0 && rxQueue != 0) throw KErr.of(Errno.EINVAL, "rx_queue_index without ingress_ifindex");
            // Only the loopback exists here; it has one receive queue.
            if (in != 0 && in != LOOPBACK) throw KErr.of(Errno.ENODEV, "ingress_ifindex " + in);
            if (in == LOOPBACK && rxQueue != 0) throw KErr.of(Errno.EINVAL, "rx_queue_index " + Integer.toUnsignedString(rxQueue));
        }
        // The frame is a page: headroom, the linear data, tailroom up to the skb_shared_info.
        byte[] buf = new byte[PAGE - SHINFO];
        System.arraycopy(data, 0, buf, headroom, linear);
        VmPacket pkt = new VmPacket(buf, headroom, linear);
        pkt.metadata(metaLen);
        if (data.length > linear) fragments(pkt, data, linear);
        byte[] progCtx = new byte[XDP_MD];
        if (ctx != null) System.arraycopy(ctx, 0, progCtx, 0, XDP_MD);
        // The run's rxq is the loopback's first queue, or the one the context names.
        put32(progCtx, 12, ingress);
        put32(progCtx, 16, rxQueue);
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        // bpf_test_run() runs every repetition on the same frame, as the previous one left it;
        // each starts from the same xdp_md, copied into one array rather than a new one per run.
        byte[] runCtx = new byte[XDP_MD];
        long ns = loop(k, p, repeat(s), () -> {
            System.arraycopy(progCtx, 0, runCtx, 0, XDP_MD);
            rv[0] = vm.run(p.vm(), vm.packetContext(runCtx, pkt, PacketLayout.XDP));
        });
        byte[] out = concat(Arrays.copyOfRange(pkt.buffer(), pkt.metaOffset(), pkt.dataOffset() + pkt.length()),
                pkt.fragBytes());
        if (ctx != null) {
            // xdp_convert_buff_to_md(): data and data_end relative to the metadata.
            put32(ctx, 0, pkt.dataOffset() - pkt.metaOffset());
            put32(ctx, 4, pkt.dataOffset() + pkt.length() - pkt.metaOffset());
        }
        return finish(s, out, (int) rv[0], ns, ctx == null ? new byte[0] : ctx);
    }

    /** The bytes past the linear part, a page per fragment, at most {@code MAX_SKB_FRAGS}. */
    private static void fragments(VmPacket pkt, byte[] data, int linear) {
        int n = (data.length - linear + PAGE - 1) / PAGE;
        if (n > MAX_SKB_FRAGS) throw KErr.of(Errno.ENOMEM, "more than " + MAX_SKB_FRAGS + " fragments");
        byte[][] pages = new byte[n][];
        int[] lens = new int[n];
        for (int i = 0; i < n; i++) {
            int from = linear + i * PAGE;
            lens[i] = Math.min(PAGE, data.length - from);
            pages[i] = new byte[PAGE];
            System.arraycopy(data, from, pages[i], 0, lens[i]);
        }
        pkt.frags(pages, lens);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static TestRunResult skb(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.flags() != 0 || s.cpu() != 0 || s.batchSize() != 0) throw KErr.of(Errno.EINVAL, "flags, cpu and batch_size must be 0");
        byte[] data = s.dataIn() == null ? new byte[0] : s.dataIn();
        if (data.length < ETH_HLEN) throw KErr.of(Errno.EINVAL, "data shorter than an Ethernet header");
        if (data.length > PAGE - SKB_HEADROOM - SHINFO) throw KErr.of(Errno.EINVAL, "data larger than one page");
        byte[] ctx = s.ctxIn() == null && s.ctxSizeOut() == 0 ? null : ctx(s, SK_BUFF);
        boolean l2 = p.type() == io.bpf4j.api.ProgramType.SCHED_CLS || p.type() == io.bpf4j.api.ProgramType.SCHED_ACT;
        SkbContext.checkIn(ctx, l2 ? data.length : data.length - ETH_HLEN);
        int protocol = SkbContext.protocol(data);
        SkbContext.checkNetworkHeader(data, protocol);
        // eth_type_trans() pulls the Ethernet header, which stays before skb->data (the MAC
        // header); only tc programs see it again.
        int seenLen = l2 ? data.length : data.length - ETH_HLEN;
        VmPacket pkt = VmPacket.of(data, SKB_HEADROOM, SHINFO);
        if (!l2) pkt.pull(ETH_HLEN);
        pkt.skb(protocol, l2 ? ETH_HLEN : 0, SkbContext.pktType(data));
        pkt.gsoSize(SkbContext.gsoSize(ctx));
        // NET_SKB_PAD of headroom before the frame; tc sees it from the MAC header on.
        if (l2) pkt.headroom(SKB_HEADROOM);
        byte[] progCtx = SkbContext.programView(ctx, data, seenLen);
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        long ns = loop(k, p, repeat(s), () -> rv[0] = vm.run(p.vm(), vm.packetContext(progCtx, pkt, PacketLayout.SKB)));
        byte[] body = Arrays.copyOfRange(pkt.buffer(), pkt.dataOffset(), pkt.dataOffset() + pkt.length());
        byte[] out = body;
        if (!l2) {
            out = new byte[ETH_HLEN + body.length];
            System.arraycopy(body, 0, out, ETH_HLEN, body.length);
        }
        return finish(s, out, (int) rv[0], ns, ctx == null ? new byte[0] : SkbContext.writeBack(ctx, progCtx));
    }

    /**
     * {@code bpf_prog_test_run_syscall()}: a context only, no data, no {@code ctx_out}, no repeat
     * (0, not 1), no flags. The kernel writes the context back into {@code ctx_in}, which the
     * api does not return (as on the Linux backend), so the result carries no context.
     */
    private static TestRunResult syscall(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.dataIn() != null || s.dataSizeOut() != 0 || s.ctxSizeOut() != 0 || s.repeat() != 0 || s.flags() != 0) {
            throw KErr.of(Errno.EINVAL, "syscall programs take only a context, with repeat 0 and no ctx_out");
        }
        if (s.ctxIn() != null && s.ctxIn().length > 0xffff) throw KErr.of(Errno.EINVAL, "context larger than 65535 bytes");
        byte[] ctx = s.ctxIn() == null ? new byte[0] : s.ctxIn().clone();
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        loop(k, p, 1, () -> rv[0] = vm.run(p.vm(), ctx.length == 0 ? 0 : vm.context(ctx)));
        // The kernel copies the context back into ctx_in; the api returns it as ctxOut.
        return new TestRunResult((int) rv[0], 0, new byte[0], 0, s.ctxIn() == null ? new byte[0] : ctx);
    }

    /** {@code bpf_prog_test_run_raw_tp()}: a context of at most 12 arguments, repeat 0, no outputs. */
    private static TestRunResult rawTp(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.dataIn() != null || s.dataSizeOut() != 0 || s.ctxSizeOut() != 0 || s.repeat() != 0 || s.batchSize() != 0) {
            throw KErr.of(Errno.EINVAL, "raw tracepoint programs take only a context, with repeat 0 and no ctx_out");
        }
        if ((s.flags() & ~TestRunFlags.RUN_ON_CPU) != 0) throw KErr.of(Errno.EINVAL, "flags");
        if (s.ctxIn() != null && s.ctxIn().length > 12 * 8) throw KErr.of(Errno.EINVAL, "more than 12 arguments");
        byte[] ctx = s.ctxIn() == null ? new byte[0] : s.ctxIn().clone();
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        loop(k, p, 1, () -> rv[0] = vm.run(p.vm(), ctx.length == 0 ? 0 : vm.context(ctx)));
        // ctx_in is left as it was given (the arguments are copied in), and comes back as such.
        return new TestRunResult((int) rv[0], 0, new byte[0], 0, s.ctxIn() == null ? new byte[0] : s.ctxIn().clone());
    }

    /** Runs {@code n} times, returning the mean duration; a run-time fault is the kernel's EFAULT. */
    private static long loop(Kernel k, SimProgram p, int n, Runnable once) {
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) once.run();
        } catch (VmException e) {
            throw KErr.of(Errno.EFAULT, "the program faulted, which the kernel's verifier would have prevented: " + e.getMessage());
        }
        long total = System.nanoTime() - t0;
        p.account(n, total);
        return total / n;
    }

    /** {@code bpf_test_finish()} and {@code bpf_ctx_finish()}: ENOSPC when the output does not fit. */
    private static TestRunResult finish(TestRunSpec s, byte[] out, int retval, long ns, byte[] ctx) {
        if (s.dataSizeOut() > 0 && out.length > s.dataSizeOut()) {
            throw KErr.of(Errno.ENOSPC, "data_out needs " + out.length + " bytes, has " + s.dataSizeOut());
        }
        byte[] dataOut = s.dataSizeOut() > 0 ? out : new byte[0];
        byte[] ctxOut = new byte[0];
        if (s.ctxSizeOut() > 0) {
            if (ctx.length > s.ctxSizeOut()) throw KErr.of(Errno.ENOSPC, "ctx_out needs " + ctx.length + " bytes, has " + s.ctxSizeOut());
            ctxOut = ctx;
        }
        return new TestRunResult(retval, (int) Math.min(Integer.MAX_VALUE, ns), dataOut, out.length, ctxOut);
    }

    static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }
}
