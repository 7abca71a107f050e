package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

/**
 * The packet helpers of skb and XDP programs, working on the run's {@link VmPacket}.
 * Checksums follow the kernel: {@code csum_diff} returns the 32-bit partial sum (compare
 * results folded to 16 bits, the exact 32-bit value is architecture-specific in the kernel too),
 * the {@code *_csum_replace} helpers update a 16-bit Internet checksum in the packet (RFC 1624).
 */
final class PacketHelpers {
    private PacketHelpers() {}

    /** {@code sizeof(struct xdp_frame)}, kept free at the head of an XDP buffer (Linux 6.x, 64-bit). */
    static final int XDP_FRAME_SIZE = 40;
    static final int ETH_HLEN = 14;
    private static final long BPF_F_RECOMPUTE_CSUM = 1;
    private static final long BPF_F_INVALIDATE_HASH = 2;
    private static final long BPF_F_HDR_FIELD_MASK = 0xf;
    private static final long BPF_F_PSEUDO_HDR = 1 << 4;
    private static final long BPF_F_MARK_MANGLED_0 = 1 << 5;
    private static final long BPF_F_MARK_ENFORCE = 1 << 6;
    private static final long BPF_F_IPV6 = 1 << 7;

    static long skbLoadBytes(Vm vm, long skb, long offset, long to, long len, long r5) {
        VmPacket p = vm.packetContext().packet;
        long off = offset & 0xffffffffL;
        if (len <= 0 || off > Integer.MAX_VALUE || len > p.length() || off > p.length() - len) {
            // The destination is uninitialised memory to the verifier: the kernel zeroes it on error.
            if (len > 0 && len <= Integer.MAX_VALUE) vm.write(to, new byte[(int) len], 0, (int) len);
            return -EFAULT;
        }
        vm.write(to, p.buffer(), p.data + (int) off, (int) len);
        return 0;
    }

    static long skbStoreBytes(Vm vm, long skb, long offset, long from, long len, long flags) {
        VmPacket p = vm.packetContext().packet;
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) {
            return -EINVAL;
        }
        if (len <= 0 || offset < 0 || offset > 0xffff || len > p.length() || offset > p.length() - len) {
            return -EFAULT;
        }
        vm.read(from, p.buffer(), p.data + (int) offset, (int) len);
        return 0;
    }

    static long xdpAdjustHead(Vm vm, long ctx, long delta, long r3, long r4, long r5) {
        PacketContext pc = vm.packetContext();
        VmPacket p = pc.packet;
        int offset = (int) delta;
        int metalen = p.data - p.meta;
        long data = (long) p.data + offset;
        if (data < XDP_FRAME_SIZE + metalen || data > p.end - ETH_HLEN) {
            return -EINVAL;
        }
        if (metalen > 0) {
            System.arraycopy(p.buffer(), p.meta, p.buffer(), p.meta + offset, metalen);
        }
        p.meta += offset;
        p.data = (int) data;
        vm.remapPacket();
        return 0;
    }

    static long xdpAdjustTail(Vm vm, long ctx, long delta, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        int offset = (int) delta;
        if (p.frags != null) {
            long rc = XdpHelpers.adjustFragsTail(p, offset);
            if (rc == 0) vm.remapPacket();
            return rc;
        }
        long end = (long) p.end + offset;
        if (end > p.buffer().length || end < p.data + ETH_HLEN) {
            return -EINVAL;
        }
        if (offset > 0) {
            java.util.Arrays.fill(p.buffer(), p.end, (int) end, (byte) 0);
        }
        p.end = (int) end;
        vm.remapPacket();
        return 0;
    }

    static long csumDiff(Vm vm, long from, long fromSize, long to, long toSize, long seed) {
        if (((fromSize | toSize) & 3) != 0 || fromSize < 0 || toSize < 0 || fromSize + toSize > 512) {
            return -EINVAL;
        }
        long sum = seed & 0xffffffffL;
        byte[] f = fromSize == 0 ? new byte[0] : vm.read(from, (int) fromSize);
        byte[] t = toSize == 0 ? new byte[0] : vm.read(to, (int) toSize);
        for (int i = 0; i < f.length; i += 4) {
            sum = add32(sum, ~word(f, i) & 0xffffffffL);
        }
        for (int i = 0; i < t.length; i += 4) {
            sum = add32(sum, word(t, i));
        }
        return sum;
    }

    static long l3CsumReplace(Vm vm, long skb, long offset, long from, long to, long flags) {
        if ((flags & ~BPF_F_HDR_FIELD_MASK) != 0) {
            return -EINVAL;
        }
        return replace(vm, offset, from, to, (int) (flags & BPF_F_HDR_FIELD_MASK), false);
    }

    static long l4CsumReplace(Vm vm, long skb, long offset, long from, long to, long flags) {
        long known = BPF_F_HDR_FIELD_MASK | BPF_F_PSEUDO_HDR | BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_IPV6;
        if ((flags & ~known) != 0) {
            return -EINVAL;
        }
        return replace(vm, offset, from, to, (int) (flags & BPF_F_HDR_FIELD_MASK),
                (flags & BPF_F_MARK_MANGLED_0) != 0);
    }

    /**
     * Replaces {@code from} by {@code to} in the checksum at {@code offset}; size 0 means
     * {@code to} is already a checksum difference, as in the kernel.
     */
    private static long replace(Vm vm, long offset, long from, long to, int size, boolean mangled0) {
        VmPacket p = vm.packetContext().packet;
        // "offset > 0xffff || offset & 1", then bpf_try_make_writable(skb, offset + 2).
        long off = offset & 0xffffffffL;
        if (off > 0xffff || (off & 1) != 0 || off > p.length() - 2) {
            return -EFAULT;
        }
        offset = off;
        byte[] b = p.buffer();
        int at = p.data + (int) offset;
        int check = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
        if (mangled0 && check == 0) {
            return 0;
        }
        long diff;
        switch (size) {
            case 0:
                if (from != 0) {
                    return -EINVAL;
                }
                diff = to & 0xffffffffL;
                break;
            case 2:
                diff = add32(~from & 0xffffL, to & 0xffffL);
                break;
            case 4:
                diff = add32(~from & 0xffffffffL, to & 0xffffffffL);
                break;
            default:
                return -EINVAL;
        }
        // csum_replace_by_diff: check = ~csum_fold(csum_add(diff, ~csum_unfold(check)))
        int folded = fold(add32(diff, ~check & 0xffff));
        int result = ~folded & 0xffff;
        if (mangled0 && result == 0) {
            result = 0xffff;
        }
        b[at] = (byte) result;
        b[at + 1] = (byte) (result >>> 8);
        return 0;
    }

    /** A 32-bit word in host (little-endian) order, as the kernel's csum helpers read it. */
    private static long word(byte[] a, int i) {
        return (a[i] & 0xffL) | (a[i + 1] & 0xffL) << 8 | (a[i + 2] & 0xffL) << 16 | (a[i + 3] & 0xffL) << 24;
    }

    /** One's complement addition of two 32-bit values (end-around carry). */
    static long add32(long a, long b) {
        long s = (a & 0xffffffffL) + (b & 0xffffffffL);
        return (s & 0xffffffffL) + (s >>> 32);
    }

    /** Folds a 32-bit partial sum to 16 bits. */
    static int fold(long sum) {
        long s = (sum & 0xffff) + ((sum >>> 16) & 0xffff);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s & 0xffff;
    }
}
