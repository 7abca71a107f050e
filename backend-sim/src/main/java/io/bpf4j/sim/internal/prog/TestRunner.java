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
    private static final int SKB_HEADROOM = 64 + 2;

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
        if (data.length < ETH_HLEN) throw KErr.of(Errno.EINVAL, "data shorter than an Ethernet header");
        if (data.length > PAGE - XDP_HEADROOM - SHINFO) throw KErr.of(Errno.EINVAL, "multi-buffer frames are not simulated");
        byte[] ctx = ctx(s, XDP_MD);
        if (s.ctxIn() != null) {
            int meta = le32(ctx, 8);
            int dataEnd = le32(ctx, 4);
            if (meta != 0 || dataEnd != data.length || le32(ctx, 0) > dataEnd) throw KErr.of(Errno.EINVAL, "xdp_md");
        }
        VmPacket pkt = VmPacket.of(data, XDP_HEADROOM, SHINFO);
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        long ns = loop(k, p, repeat(s), () -> {
            byte[] c = ctx.clone();
            rv[0] = vm.run(p.vm(), vm.packetContext(c, pkt, PacketLayout.XDP));
        });
        byte[] out = Arrays.copyOfRange(pkt.buffer(), pkt.metaOffset(), pkt.dataOffset() + pkt.length());
        return finish(s, out, (int) rv[0], ns, ctx);
    }

    private static TestRunResult skb(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.flags() != 0 || s.cpu() != 0 || s.batchSize() != 0) throw KErr.of(Errno.EINVAL, "flags, cpu and batch_size must be 0");
        byte[] data = s.dataIn() == null ? new byte[0] : s.dataIn();
        if (data.length < ETH_HLEN) throw KErr.of(Errno.EINVAL, "data shorter than an Ethernet header");
        if (data.length > PAGE - SKB_HEADROOM - SHINFO) throw KErr.of(Errno.EINVAL, "data larger than one page");
        byte[] ctx = ctx(s, SK_BUFF);
        boolean l2 = p.type() == io.bpf4j.api.ProgramType.SCHED_CLS || p.type() == io.bpf4j.api.ProgramType.SCHED_ACT;
        // eth_type_trans() pulls the Ethernet header; only tc programs see it again.
        byte[] seen = l2 ? data : Arrays.copyOfRange(data, ETH_HLEN, data.length);
        VmPacket pkt = VmPacket.of(seen, SKB_HEADROOM, SHINFO);
        put32(ctx, 0, seen.length);
        put32(ctx, 16, swap16(data));
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        long ns = loop(k, p, repeat(s), () -> rv[0] = vm.run(p.vm(), vm.packetContext(ctx, pkt, PacketLayout.SKB)));
        byte[] body = Arrays.copyOfRange(pkt.buffer(), pkt.dataOffset(), pkt.dataOffset() + pkt.length());
        byte[] out = body;
        if (!l2) {
            out = new byte[ETH_HLEN + body.length];
            System.arraycopy(body, 0, out, ETH_HLEN, body.length);
        }
        return finish(s, out, (int) rv[0], ns, ctx);
    }

    private static TestRunResult syscall(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.dataIn() != null || s.dataSizeOut() != 0 || s.repeat() > 1 || s.flags() != 0) {
            throw KErr.of(Errno.EINVAL, "syscall programs take only a context");
        }
        if (s.ctxIn() != null && s.ctxIn().length > 0xffff) throw KErr.of(Errno.EINVAL, "context larger than 65535 bytes");
        byte[] ctx = s.ctxIn() == null ? new byte[0] : s.ctxIn().clone();
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        loop(k, p, 1, () -> rv[0] = vm.run(p.vm(), ctx.length == 0 ? 0 : vm.context(ctx)));
        // The kernel writes the context back into ctx_in and reports no duration.
        return new TestRunResult((int) rv[0], 0, new byte[0], 0, ctx);
    }

    private static TestRunResult rawTp(Kernel k, SimProgram p, TestRunSpec s) {
        if (s.dataIn() != null || s.dataSizeOut() != 0 || s.repeat() > 1 || s.batchSize() != 0) {
            throw KErr.of(Errno.EINVAL, "raw tracepoint programs take only a context");
        }
        if (s.ctxIn() != null && s.ctxIn().length > 12 * 8) throw KErr.of(Errno.EINVAL, "more than 12 arguments");
        byte[] ctx = s.ctxIn() == null ? new byte[0] : s.ctxIn().clone();
        Vm vm = vm(k, s);
        long[] rv = new long[1];
        loop(k, p, 1, () -> rv[0] = vm.run(p.vm(), ctx.length == 0 ? 0 : vm.context(ctx)));
        return new TestRunResult((int) rv[0], 0, new byte[0], 0, new byte[0]);
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

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    /** skb->protocol: the EtherType as it sits in the frame (network byte order), read as a u32. */
    private static int swap16(byte[] data) {
        return (data[12] & 0xff) | (data[13] & 0xff) << 8;
    }
}
