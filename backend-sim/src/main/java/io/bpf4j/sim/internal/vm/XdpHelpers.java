package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

/**
 * The XDP helpers beyond head and tail adjustment, as {@code net/core/filter.c} (Linux 6.18)
 * runs them on a single-buffer frame, and {@code bpf_redirect}, whose answer depends on whether
 * the program is XDP or tc.
 */
final class XdpHelpers {
    private XdpHelpers() {}

    /** {@code type_max(skb_shared_info.meta_len)}: the most metadata a frame may carry. */
    private static final int META_MAX = 255;
    private static final int PAGE = 4096;
    private static final long BPF_F_INGRESS = 1;
    private static final int XDP_ABORTED = 0;
    private static final int XDP_REDIRECT = 4;
    private static final int TC_ACT_SHOT = 2;
    private static final int TC_ACT_REDIRECT = 7;

    static boolean isXdp(PacketContext pc) {
        return pc.dataField == PacketLayout.XDP.dataField();
    }

    static long adjustMeta(Vm vm, long ctx, long delta, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long meta = (long) p.meta + (int) delta;
        if (meta < PacketHelpers.XDP_FRAME_SIZE || meta > p.data) {
            return -EINVAL;
        }
        long metalen = p.data - meta;
        if ((metalen & 3) != 0 || metalen > META_MAX) {
            return -EACCES;
        }
        p.meta = (int) meta;
        vm.remapPacket();
        return 0;
    }

    static long getBuffLen(Vm vm, long ctx, long r2, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        return p.length() + p.fragsLength();
    }

    /** {@code bpf_xdp_pointer()}: EFAULT beyond 16 bits, EINVAL past the frame. */
    private static long check(VmPacket p, long offset, long len) {
        long off = offset & 0xffffffffL;
        long n = len & 0xffffffffL;
        if (off > 0xffff || n > 0xffff) return -EFAULT;
        if (off + n > p.length() + p.fragsLength()) return -EINVAL;
        return 0;
    }

    /** Copies between the frame (linear part, then fragments) and {@code buf}. */
    private static void copy(VmPacket p, int off, byte[] buf, boolean toFrame) {
        for (int i = 0; i < buf.length; i++) {
            int at = off + i;
            byte[] a;
            int idx;
            if (at < p.length()) {
                a = p.buffer();
                idx = p.data + at;
            } else {
                at -= p.length();
                int f = 0;
                while (at >= p.fragLen[f]) at -= p.fragLen[f++];
                a = p.frags[f];
                idx = at;
            }
            if (toFrame) a[idx] = buf[i];
            else buf[i] = a[idx];
        }
    }

    /**
     * {@code bpf_xdp_adjust_tail()} on a multi-buffer frame: growth only into the last
     * fragment's page, shrinking frees fragments from the end and then the linear part.
     */
    static long adjustFragsTail(VmPacket p, int offset) {
        int last = p.frags.length - 1;
        if (offset >= 0) {
            if (offset > PAGE - p.fragLen[last]) return -EINVAL;
            java.util.Arrays.fill(p.frags[last], p.fragLen[last], p.fragLen[last] + offset, (byte) 0);
            p.fragLen[last] += offset;
            return 0;
        }
        long shrink = -(long) offset;
        if (shrink > p.length() + p.fragsLength() - PacketHelpers.ETH_HLEN) return -EINVAL;
        int n = p.frags.length;
        for (int i = n - 1; i >= 0 && shrink > 0; i--) {
            int s = (int) Math.min(shrink, p.fragLen[i]);
            p.fragLen[i] -= s;
            shrink -= s;
            if (p.fragLen[i] == 0) n--;
        }
        if (n == 0) {
            p.frags = null;
            p.fragLen = null;
            p.end -= (int) shrink;
        } else if (n < p.frags.length) {
            p.frags = java.util.Arrays.copyOf(p.frags, n);
            p.fragLen = java.util.Arrays.copyOf(p.fragLen, n);
        }
        return 0;
    }

    static long loadBytes(Vm vm, long ctx, long offset, long buf, long len, long r5) {
        VmPacket p = vm.packetContext().packet;
        long rc = check(p, offset, len);
        if (rc != 0) return rc;
        byte[] tmp = new byte[(int) len];
        copy(p, (int) offset, tmp, false);
        vm.write(buf, tmp, 0, tmp.length);
        return 0;
    }

    static long storeBytes(Vm vm, long ctx, long offset, long buf, long len, long r5) {
        VmPacket p = vm.packetContext().packet;
        long rc = check(p, offset, len);
        if (rc != 0) return rc;
        copy(p, (int) offset, vm.read(buf, (int) len), true);
        return 0;
    }

    /**
     * {@code bpf_xdp_redirect()} refuses any flag with {@code XDP_ABORTED}; {@code bpf_redirect()}
     * for tc accepts only {@code BPF_F_INGRESS} and answers {@code TC_ACT_SHOT} otherwise. Neither
     * looks the interface up: that happens after the program returns.
     */
    static long redirect(Vm vm, long ifindex, long flags, long r3, long r4, long r5) {
        if (isXdp(vm.packetContext())) {
            return flags != 0 ? XDP_ABORTED : XDP_REDIRECT;
        }
        return (flags & ~BPF_F_INGRESS) != 0 ? TC_ACT_SHOT : TC_ACT_REDIRECT;
    }
}
