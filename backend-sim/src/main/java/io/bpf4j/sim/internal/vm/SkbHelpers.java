package io.bpf4j.sim.internal.vm;

import static io.bpf4j.sim.internal.vm.LinuxErrno.*;

import java.util.Arrays;

/**
 * The tc helpers that resize an skb or move its VLAN tag, as {@code net/core/filter.c} and
 * {@code net/core/skbuff.c} (Linux 6.18) run them on a linear skb whose MAC header is at
 * {@code data} (tc programs), as in {@code BPF_PROG_TEST_RUN}. Every one of them invalidates packet pointers.
 */
final class SkbHelpers {
    private SkbHelpers() {}

    /**
     * {@code __bpf_skb_max_len()} of a test run's skb: {@code SKB_MAX_ALLOC}, four pages less the
     * {@code skb_shared_info} (measured on Linux 6.18: 16064 grows, 16065 is EINVAL).
     */
    static final int MAX_LEN = 4 * 4096 - 320;
    private static final int ETH_HLEN = 14;
    private static final int VLAN_HLEN = 4;
    /** {@code htons(ETH_P_8021Q)} and {@code htons(ETH_P_8021AD)} as the u16 a program passes. */
    private static final int P_8021Q = 0x0081;
    private static final int P_8021AD = 0xa888;

    /** {@code bpf_try_make_writable(skb, len ?: skb_headlen(skb))}: ENOMEM past the packet. */
    static long pullData(Vm vm, long skb, long len, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long n = len & 0xffffffffL;
        long rc = n > p.length() ? -ENOMEM : 0;
        vm.remapPacket();
        return rc;
    }

    private static int minLen(VmPacket p) {
        return p.minLen();
    }

    static long changeTail(Vm vm, long skb, long newLen, long flags, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long n = newLen & 0xffffffffL;
        if (flags != 0 || n > MAX_LEN || n < minLen(p)) {
            return -EINVAL;
        }
        int len = p.length();
        if (n > len) {
            p.grow(0, (int) n - len);
            Arrays.fill(p.buffer(), p.end, p.data + (int) n, (byte) 0);
        }
        p.end = p.data + (int) n;
        vm.remapPacket();
        return 0;
    }

    static long changeHead(Vm vm, long skb, long headRoom, long flags, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long room = headRoom & 0xffffffffL;
        long newLen = p.length() + room;
        if (flags != 0 || newLen > MAX_LEN || (newLen & 0xffffffffL) < p.length()) {
            vm.remapPacket();
            return -EINVAL;
        }
        int r = (int) room;
        p.cowHead(r);
        p.moveData(-r);
        p.grow(r, 0);
        p.data -= r;
        p.meta = p.data;
        Arrays.fill(p.buffer(), p.data, p.data + r, (byte) 0);
        // The MAC header moves to the new data; the network header stays where it was.
        if (p.netOff >= 0) p.netOff += r;
        vm.remapPacket();
        return 0;
    }

    private static boolean isVlan(int protocol) {
        return protocol == P_8021Q || protocol == P_8021AD;
    }

    static long vlanPush(Vm vm, long skb, long proto, long tci, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        int vproto = (int) (proto & 0xffff);
        if (!isVlan(vproto)) vproto = P_8021Q;
        long rc = 0;
        if (p.vlanPresent) {
            rc = insertTag(p, p.vlanProto, p.vlanTci);
        }
        if (rc == 0) {
            p.vlanPresent = true;
            p.vlanProto = vproto;
            p.vlanTci = (int) (tci & 0xffff);
        }
        vm.remapPacket();
        return rc;
    }

    /** {@code __vlan_insert_tag()}: after the 14-byte Ethernet header, whatever the MAC length; the protocol becomes the tag's. */
    private static long insertTag(VmPacket p, int vproto, int vtci) {
        int macLen = ETH_HLEN;
        p.cowHead(VLAN_HLEN);
        p.moveData(-VLAN_HLEN);
        p.grow(VLAN_HLEN, 0);
        byte[] b = p.buffer();
        p.data -= VLAN_HLEN;
        p.meta = p.data;
        if (macLen > 2) System.arraycopy(b, p.data + VLAN_HLEN, b, p.data, macLen - 2);
        int veth = p.data + macLen - ETH_HLEN;
        // The old type stayed in place as h_vlan_encapsulated_proto; the tag goes in front of it.
        b[veth + 12] = (byte) vproto;
        b[veth + 13] = (byte) (vproto >>> 8);
        b[veth + 14] = (byte) (vtci >>> 8);
        b[veth + 15] = (byte) vtci;
        p.protocol = vproto;
        return 0;
    }

    static long vlanPop(Vm vm, long skb, long r2, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long rc = pop(p);
        vm.remapPacket();
        return rc;
    }

    /** {@code skb_vlan_pop()}. */
    private static long pop(VmPacket p) {
        if (p.vlanPresent) {
            p.vlanPresent = false;
            p.vlanTci = 0;
            p.vlanProto = 0;
        } else {
            if (!isVlan(p.protocol)) return 0;
            int[] tci = new int[1];
            long rc = popFromData(p, tci);
            if (rc != 0) return rc;
        }
        if (!isVlan(p.protocol)) return 0;
        int vproto = p.protocol;
        int[] tci = new int[1];
        long rc = popFromData(p, tci);
        if (rc != 0) return rc;
        p.vlanPresent = true;
        p.vlanProto = vproto;
        p.vlanTci = tci[0];
        return 0;
    }

    /** {@code __skb_vlan_pop()}: the tag after the MAC addresses leaves the data. */
    private static long popFromData(VmPacket p, int[] tci) {
        if (p.length() < ETH_HLEN + VLAN_HLEN) return -ENOMEM;
        byte[] b = p.buffer();
        int vh = p.data + ETH_HLEN;
        tci[0] = (b[vh] & 0xff) << 8 | (b[vh + 1] & 0xff);
        int encap = (b[vh + 2] & 0xff) << 8 | (b[vh + 3] & 0xff);
        int raw = p.length() >= ETH_HLEN + VLAN_HLEN + 2 ? (b[vh + 4] & 0xff) << 8 | (b[vh + 5] & 0xff) : 0;
        System.arraycopy(b, p.data, b, p.data + VLAN_HLEN, 12);
        p.data += VLAN_HLEN;
        p.moveData(VLAN_HLEN);
        p.meta = p.data;
        p.protocol = ethProtocol(encap, raw);
        if (p.netOff >= 0) p.netOff = Math.max(p.netOff - VLAN_HLEN, ETH_HLEN);
        return 0;
    }

    /**
     * {@code skb->protocol} for a type field as {@code eth_type_trans()} and
     * {@code vlan_set_encap_proto()} decide it, in the byte order the program reads.
     *
     * @param type the type field (host order)
     * @param next the two bytes after it (host order), 0 when absent
     * @return the protocol as the program reads it
     */
    static int ethProtocol(int type, int next) {
        int host = type >= 0x600 ? type : next == 0xffff ? 0x0001 : 0x0004;
        return (host >>> 8) | (host & 0xff) << 8;
    }

    private static final int PACKET_OTHERHOST = 3;
    private static final int SKB_MAX_CSUM_LEVEL = 3;

    /** {@code bpf_skb_change_type()}: both the old and the new type must be at most {@code PACKET_OTHERHOST}. */
    static long changeType(Vm vm, long skb, long type, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        long t = type & 0xffffffffL;
        if (p.pktType > PACKET_OTHERHOST || t > PACKET_OTHERHOST) return -EINVAL;
        p.pktType = (int) t;
        return 0;
    }

    /** {@code bpf_csum_update()}: only a {@code CHECKSUM_COMPLETE} skb has a sum to update; test-run skbs have none. */
    static long csumUpdate(Vm vm, long skb, long csum, long r3, long r4, long r5) {
        vm.packetContext();
        return -ENOTSUPP;
    }

    /** {@code bpf_csum_level()}: query, increment, decrement or reset {@code CHECKSUM_UNNECESSARY}. */
    static long csumLevel(Vm vm, long skb, long level, long r3, long r4, long r5) {
        VmPacket p = vm.packetContext().packet;
        switch ((int) (level & 0xffffffffL) == level ? (int) level : -1) {
            case 0:
                return p.csumUnnecessary ? p.csumLevel : -EACCES;
            case 1:
                if (p.csumUnnecessary) {
                    if (p.csumLevel < SKB_MAX_CSUM_LEVEL) p.csumLevel++;
                } else {
                    p.csumUnnecessary = true;
                    p.csumLevel = 0;
                }
                return 0;
            case 2:
                if (p.csumUnnecessary) {
                    if (p.csumLevel == 0) p.csumUnnecessary = false;
                    else p.csumLevel--;
                }
                return 0;
            case 3:
                resetCsum(p);
                return 0;
            default:
                return -EINVAL;
        }
    }

    private static void resetCsum(VmPacket p) {
        p.csumUnnecessary = false;
        p.csumLevel = 0;
    }

    private static final long ADJ_FIXED_GSO = 1;
    private static final long ADJ_NO_CSUM_RESET = 1 << 5;
    /** {@code BPF_F_ADJ_ROOM_MASK} with {@code BPF_F_ADJ_ROOM_NO_CSUM_RESET}: the flags the helper knows. */
    private static final long ADJ_KNOWN = 0x1ffL | 0xffL << 56;
    private static final int P_IP = 0x0008;
    private static final int P_IPV6 = 0xdd86;

    /**
     * {@code bpf_skb_adjust_room()} without encapsulation flags: room inserted or removed after
     * the MAC header ({@code BPF_ADJ_ROOM_MAC}) or after the IPv4 / IPv6 base header
     * ({@code BPF_ADJ_ROOM_NET}), with the kernel's checks in its order.
     */
    static long adjustRoom(Vm vm, long skb, long lenDiff, long mode, long flags, long r5) {
        VmPacket p = vm.packetContext().packet;
        int diff = (int) lenDiff;
        long abs = Math.abs((long) diff);
        boolean shrink = diff < 0;
        if ((flags & ~ADJ_KNOWN) != 0) return -EINVAL;
        if (abs > 0xfff) return -EFAULT;
        if (p.protocol != P_IP && p.protocol != P_IPV6) return -ENOTSUPP;
        int base = p.protocol == P_IP ? 20 : 40;
        int macLen = Math.max(p.netOff, 0);
        long off = macLen;
        switch ((int) (mode & 0xffffffffL) == mode ? (int) mode : -1) {
            case 0: off += base; break;
            case 1: break;
            default: return -ENOTSUPP;
        }
        if ((flags & ~(ADJ_FIXED_GSO | ADJ_NO_CSUM_RESET)) != 0) {
            throw new VmException(-1, "bpf_skb_adjust_room: encapsulation flags 0x" + Long.toHexString(flags)
                    + " are not simulated");
        }
        long lenCur = p.length() - macLen;
        if ((shrink && (abs >= lenCur || lenCur - abs < base)) || (!shrink && p.length() + abs > MAX_LEN)) return -ENOTSUPP;
        int n = (int) abs;
        byte[] b;
        if (shrink) {
            if (off + n > p.length()) {
                vm.remapPacket();
                return -ENOMEM;
            }
            b = p.buffer();
            System.arraycopy(b, p.data, b, p.data + n, (int) off);
            p.data += n;
            p.moveWithNetwork(n);
        } else {
            p.cowHead(n);
            p.moveWithNetwork(-n);
            p.grow(n, 0);
            b = p.buffer();
            p.data -= n;
            System.arraycopy(b, p.data + n, b, p.data, (int) off);
            Arrays.fill(b, p.data + (int) off, p.data + (int) off + n, (byte) 0);
        }
        p.meta = p.data;
        if ((flags & ADJ_NO_CSUM_RESET) == 0) resetCsum(p);
        vm.remapPacket();
        return 0;
    }

    /**
     * {@code bpf_skb_load_bytes_relative()}: from the MAC header ({@code BPF_HDR_START_MAC}, 0)
     * or the network header ({@code BPF_HDR_START_NET}, 1); out of range, the buffer is zeroed
     * and the answer is {@code EFAULT}.
     */
    static long loadBytesRelative(Vm vm, long skb, long offset, long to, long len, long start) {
        VmPacket p = vm.packetContext().packet;
        long off = offset & 0xffffffffL;
        int n = (int) len;
        long from;
        if (start == 0) {
            // The MAC header: at data for tc, the Ethernet header pulled before data for the others.
            from = p.netOff == 0 ? p.data - ETH_HLEN : p.data;
        } else if (start == 1) {
            from = p.data + Math.max(p.netOff, 0);
        } else {
            from = -1;
        }
        if (off > 0xffff || from < 0 || from + off + n > p.end) {
            vm.write(to, new byte[n], 0, n);
            return -EFAULT;
        }
        vm.write(to, p.buffer(), (int) (from + off), n);
        return 0;
    }
}
