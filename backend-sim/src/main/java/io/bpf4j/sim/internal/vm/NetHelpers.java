package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

import java.security.SecureRandom;

/**
 * The packet helpers that ask about or hand the packet to a device, as {@code net/core/filter.c}
 * (Linux 6.18) runs them in a test run, where the packet's device is the loopback (ifindex 1,
 * MTU 65536, up): {@code check_mtu}, {@code clone_redirect}, {@code redirect_peer},
 * {@code redirect_neigh}, and the skb's protocol and hash ({@code skb_change_proto},
 * {@code get_hash_recalc}, {@code set_hash}). The loopback is the simulator's only device: any
 * other ifindex is a device that does not exist.
 */
final class NetHelpers {
    private NetHelpers() {}

    static final int LOOPBACK = 1;
    /** The loopback's {@code dev->mtu} and {@code dev->hard_header_len} ({@code drivers/net/loopback.c}). */
    static final int LO_MTU = 65536;
    private static final int LO_HARD_HEADER_LEN = 14;
    private static final long MTU_CHK_SEGS = 1;
    private static final int MTU_CHK_RET_SUCCESS = 0;
    private static final int MTU_CHK_RET_FRAG_NEEDED = 1;
    private static final long F_INGRESS = 1;
    private static final int TC_ACT_SHOT = 2;
    private static final int TC_ACT_REDIRECT = 7;
    /** {@code sizeof(struct bpf_redir_neigh)}. */
    private static final int REDIR_NEIGH_SIZE = 20;
    private static final int P_IP = 0x0008;
    private static final int P_IPV6 = 0xdd86;
    private static final int IPV6_GROWTH = 20;
    /**
     * The secret the flow hash is keyed with, one per simulator process as the kernel's
     * {@code hashrnd} is one per boot: a flow's hash is stable, its value is not the kernel's.
     */
    private static final long HASH_SECRET = new SecureRandom().nextLong();

    /** {@code __dev_via_ifindex()}: 0 is the packet's own device; the loopback is the only other. */
    private static boolean deviceExists(long ifindex) {
        int i = (int) ifindex;
        return i == 0 || i == LOOPBACK;
    }

    /**
     * {@code bpf_skb_check_mtu()} and {@code bpf_xdp_check_mtu()}: the packet's length (or
     * {@code *mtu_len} plus the link header, when non-zero) plus {@code len_diff} against the
     * device's MTU plus its link header; {@code *mtu_len} gets the MTU unless the answer is an error.
     */
    static long checkMtu(Vm vm, long ctx, long ifindex, long mtuLen, long lenDiff, long flags) {
        VmPacket p = vm.packetContext().packet;
        boolean xdp = XdpHelpers.isXdp(vm.packetContext());
        int in = le32(vm.read(mtuLen, 4));
        int diff = (int) lenDiff;
        long rc;
        int mtu = LO_MTU;
        if (xdp ? flags != 0 : (flags & ~MTU_CHK_SEGS) != 0) {
            rc = -EINVAL;
        } else if (!xdp && (flags & MTU_CHK_SEGS) != 0 && (diff != 0 || in != 0)) {
            rc = -EINVAL;
        } else if (!deviceExists(ifindex)) {
            rc = -ENODEV;
        } else {
            int devLen = mtu + LO_HARD_HEADER_LEN;
            // int arithmetic as the kernel's: an mtu_len near 2^32 wraps.
            int len = (in != 0 ? in + LO_HARD_HEADER_LEN : p.length()) + diff;
            if (len <= devLen) {
                rc = MTU_CHK_RET_SUCCESS;
            } else if (!xdp && p.gsoSize != 0) {
                // A GSO skb may still fit once segmented; a test run's has no transport header,
                // so BPF_MTU_CHK_SEGS (which needs len_diff and mtu_len 0) never gets here.
                rc = MTU_CHK_RET_SUCCESS;
            } else {
                rc = MTU_CHK_RET_FRAG_NEEDED;
            }
        }
        // An error leaves *mtu_len as the program set it (measured on Linux 6.18).
        if (rc >= 0) vm.write(mtuLen, new byte[] {(byte) mtu, (byte) (mtu >>> 8), (byte) (mtu >>> 16), (byte) (mtu >>> 24)}, 0, 4);
        return rc;
    }

    private static int le32(byte[] b) {
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /**
     * {@code bpf_clone_redirect()}: a clone goes out of (or, with {@code BPF_F_INGRESS}, into)
     * the loopback, which takes it ({@code dev_queue_xmit()} and {@code netif_rx()} answer 0);
     * the packet itself stays, its pointers invalidated.
     */
    static long cloneRedirect(Vm vm, long skb, long ifindex, long flags, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long rc;
        if ((flags & ~F_INGRESS) != 0) {
            rc = -EINVAL;
        } else if (p.gsoSize != 0) {
            // A test run's GSO skb has no GSO type, which the helper refuses to send.
            rc = -EBADMSG;
        } else if ((int) ifindex != LOOPBACK) {
            rc = -EINVAL;
        } else if (p.netOff <= 0 || p.length() == 0) {
            // __bpf_redirect_common(): no link-layer header before the network header.
            rc = -ERANGE;
        } else {
            rc = 0;
        }
        vm.remapPacket();
        return rc;
    }

    /** {@code bpf_redirect_peer()}: any flag is {@code TC_ACT_SHOT}; the device is looked up after the program. */
    static long redirectPeer(Vm vm, long ifindex, long flags, long r3, long r4, long r5) {
        return flags != 0 ? TC_ACT_SHOT : TC_ACT_REDIRECT;
    }

    /** {@code bpf_redirect_neigh()}: parameters shorter than {@code struct bpf_redir_neigh}, or any flag, are {@code TC_ACT_SHOT}. */
    static long redirectNeigh(Vm vm, long ifindex, long params, long plen, long flags, long r5) {
        int n = (int) plen;
        if ((n != 0 && Integer.compareUnsigned(n, REDIR_NEIGH_SIZE) < 0) || flags != 0) return TC_ACT_SHOT;
        if (n != 0) vm.read(params, REDIR_NEIGH_SIZE);
        return TC_ACT_REDIRECT;
    }

    /**
     * {@code bpf_skb_change_proto()}: IPv4 to IPv6 inserts 20 zero bytes after the MAC header,
     * IPv6 to IPv4 removes the 20 bytes there; the program writes the new header itself. The
     * hash is cleared.
     */
    static long changeProto(Vm vm, long skb, long proto, long flags, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        int to = (int) (proto & 0xffff);
        long rc;
        int off = Math.max(p.netOff, 0);
        if (flags != 0) {
            rc = -EINVAL;
        } else if (p.protocol == P_IP && to == P_IPV6) {
            p.cowHead(IPV6_GROWTH);
            p.moveWithNetwork(-IPV6_GROWTH);
            p.grow(IPV6_GROWTH, 0);
            byte[] b = p.buffer();
            p.data -= IPV6_GROWTH;
            System.arraycopy(b, p.data + IPV6_GROWTH, b, p.data, off);
            java.util.Arrays.fill(b, p.data + off, p.data + off + IPV6_GROWTH, (byte) 0);
            p.meta = p.data;
            p.protocol = P_IPV6;
            clearHash(p);
            rc = 0;
        } else if (p.protocol == P_IPV6 && to == P_IP) {
            if (off + IPV6_GROWTH > p.length()) {
                rc = -ENOMEM;
            } else {
                byte[] b = p.buffer();
                System.arraycopy(b, p.data, b, p.data + IPV6_GROWTH, off);
                p.data += IPV6_GROWTH;
                p.moveWithNetwork(IPV6_GROWTH);
                p.meta = p.data;
                p.protocol = P_IP;
                clearHash(p);
                rc = 0;
            }
        } else {
            rc = -ENOTSUPP;
        }
        vm.remapPacket();
        return rc;
    }

    private static final long ACTION_MASK = 3;
    /** {@code BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS}, which only device maps take. */
    private static final long BROADCAST = 1 << 3;
    private static final long DEV_FLAGS = BROADCAST | 1 << 4;
    private static final int XDP_ABORTED = 0;
    private static final int XDP_REDIRECT = 4;

    /**
     * {@code bpf_xdp_redirect_map()}: {@code XDP_REDIRECT} when the key holds a target (or the
     * redirect is a broadcast), else the action in the flags' low two bits; unknown flags abort.
     */
    static long redirectMap(Vm vm, long map, long key, long flags, long r4, long r5) {
        VmMap m = vm.map(map);
        if (!(m instanceof VmRedirectMap)) {
            throw new VmException(-1, "cannot pass map_type " + m.type() + " into func bpf_redirect_map");
        }
        VmRedirectMap rm = (VmRedirectMap) m;
        if ((flags & ~(ACTION_MASK | (rm.broadcasts() ? DEV_FLAGS : 0))) != 0) return XDP_ABORTED;
        if (!rm.hasTarget((int) key) && (flags & BROADCAST) == 0) return flags & ACTION_MASK;
        return XDP_REDIRECT;
    }

    static void clearHash(VmPacket p) {
        p.hash = 0;
        p.swHash = false;
    }

    /** {@code bpf_set_hash()}: the program's hash, which the flow dissector then keeps. */
    static long setHash(Vm vm, long skb, long hash, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        p.hash = (int) hash;
        p.swHash = true;
        return 0;
    }

    /** {@code bpf_set_hash_invalid()}: {@code skb_clear_hash()}. */
    static long setHashInvalid(Vm vm, long skb, long r2, long r3, long r4, long r5) {
        clearHash(vm.packetContext().packet);
        return 0;
    }

    /**
     * {@code bpf_get_hash_recalc()}: {@code skb_get_hash()}, the program's hash when it set one,
     * else a keyed hash of the flow (never 0), kept in the skb.
     */
    static long getHashRecalc(Vm vm, long skb, long r2, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        if (!p.swHash && p.hash == 0) {
            int h = flowHash(p);
            p.hash = h == 0 ? 1 : h;
        }
        return p.hash & 0xffffffffL;
    }

    /**
     * A hash of what identifies the packet's flow: its protocol and, for IPv4 and IPv6, the
     * addresses, the transport protocol and the first four transport bytes (the ports).
     */
    private static int flowHash(VmPacket p) {
        long h = HASH_SECRET ^ p.protocol;
        byte[] b = p.buffer();
        int net = p.data + Math.max(p.netOff, 0);
        int from = -1;
        int to = -1;
        if (p.protocol == P_IP && net + 20 <= p.end) {
            from = net + 9;
            to = Math.min(p.end, net + (b[net] & 0xf) * 4 + 4);
            to = Math.max(to, net + 20);
        } else if (p.protocol == P_IPV6 && net + 40 <= p.end) {
            from = net + 6;
            to = Math.min(p.end, net + 44);
        }
        for (int i = from; i >= 0 && i < to; i++) {
            h = (h ^ (b[i] & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        return (int) (h ^ h >>> 32);
    }
}
