package io.bpf4j.sim.internal.prog;

import static io.bpf4j.sim.internal.prog.TestRunner.le32;
import static io.bpf4j.sim.internal.prog.TestRunner.put32;

import io.bpf4j.api.Errno;
import io.bpf4j.sim.internal.kernel.KErr;
import java.util.Arrays;

/**
 * The {@code struct __sk_buff} of an skb test run, as {@code net/bpf/test_run.c} (Linux 6.18)
 * takes it in ({@code convert___skb_to_skb()}: only some fields may be set), shows it to the
 * program (the loopback's skb after {@code eth_type_trans()}) and writes it back
 * ({@code convert_skb_to___skb()}).
 */
final class SkbContext {
    private SkbContext() {
    }

    private static final int ETH_HLEN = 14;
    private static final int SIZE = 192;
    /** Offsets in {@code struct __sk_buff} (include/uapi/linux/bpf.h, 6.18). */
    private static final int PKT_TYPE = 4;
    private static final int MARK = 8;
    private static final int PRIORITY = 32;
    private static final int INGRESS_IFINDEX = 36;
    private static final int IFINDEX = 40;
    private static final int CB = 48;
    private static final int CB_END = 68;
    private static final int FAMILY = 88;
    private static final int REMOTE_IP4 = 92;
    private static final int LOCAL_IP4 = 96;
    private static final int REMOTE_IP6 = 100;
    private static final int LOCAL_IP6 = 116;
    private static final int TSTAMP = 152;
    private static final int WIRE_LEN = 160;
    private static final int GSO_SEGS = 164;
    private static final int GSO_SIZE = 176;
    private static final int HWTSTAMP = 184;
    /** The ranges a caller may set: mark, priority, ingress_ifindex and ifindex, cb, tstamp to gso_segs, gso_size, hwtstamp. */
    private static final int[][] ALLOWED = {{MARK, MARK + 4}, {PRIORITY, IFINDEX + 4}, {CB, CB_END},
        {TSTAMP, GSO_SEGS + 4}, {GSO_SIZE, GSO_SIZE + 4}, {HWTSTAMP, SIZE}};
    private static final int GSO_LEGACY_MAX_SIZE = 65536;
    private static final int GSO_MAX_SEGS = 65535;
    private static final int LOOPBACK = 1;

    /** The checks of the input context, with the skb's length when they run. */
    static void checkIn(byte[] ctx, int skbLen) {
        if (ctx == null) return;
        // Only the loopback exists in the simulator (another index is ENODEV on a kernel without it).
        if (Integer.compareUnsigned(le32(ctx, IFINDEX), LOOPBACK) > 0) throw KErr.of(Errno.ENODEV, "ifindex");
        int at = 0;
        for (int[] r : ALLOWED) {
            for (int i = at; i < r[0]; i++) {
                if (ctx[i] != 0) throw KErr.of(Errno.EINVAL, "__sk_buff byte " + i + " may not be set");
            }
            at = r[1];
        }
        int wire = le32(ctx, WIRE_LEN);
        if (wire != 0 && (Integer.compareUnsigned(wire, skbLen) < 0 || Integer.compareUnsigned(wire, GSO_LEGACY_MAX_SIZE) > 0)) {
            throw KErr.of(Errno.EINVAL, "wire_len");
        }
        if (Integer.compareUnsigned(le32(ctx, GSO_SEGS), GSO_MAX_SEGS) > 0) throw KErr.of(Errno.EINVAL, "gso_segs");
    }

    /** {@code skb_shinfo(skb)->gso_size} as the context sets it, 0 without one. */
    static int gsoSize(byte[] ctx) {
        return ctx == null ? 0 : le32(ctx, GSO_SIZE);
    }

    /** Short IPv4 and IPv6 headers are refused before the program runs. */
    static void checkNetworkHeader(byte[] frame, int protocol) {
        int netLen = frame.length - ETH_HLEN;
        if (protocol == 0x0008 && netLen < 20) throw KErr.of(Errno.EINVAL, "IPv4 frame shorter than an IPv4 header");
        if (protocol == 0xdd86 && netLen < 40) throw KErr.of(Errno.EINVAL, "IPv6 frame shorter than an IPv6 header");
    }

    /** {@code skb->protocol} from {@code eth_type_trans()}, as the program reads it. */
    static int protocol(byte[] frame) {
        int type = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
        int next = frame.length >= ETH_HLEN + 2 ? (frame[14] & 0xff) << 8 | (frame[15] & 0xff) : 0;
        int host = type >= 0x600 ? type : next == 0xffff ? 0x0001 : 0x0004;
        return (host >>> 8) | (host & 0xff) << 8;
    }

    /** The program's view: the caller's fields and the loopback skb's. */
    static byte[] programView(byte[] ctx, byte[] frame, int skbLen) {
        byte[] v = ctx == null ? new byte[SIZE] : Arrays.copyOf(ctx, SIZE);
        put32(v, 0, skbLen);
        put32(v, PKT_TYPE, pktType(frame));
        put32(v, IFINDEX, LOOPBACK);
        // qdisc_skb_cb(skb)->pkt_len is set from the context only: without one it stays 0.
        if (ctx != null && le32(v, WIRE_LEN) == 0) put32(v, WIRE_LEN, skbLen);
        int proto = (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
        int netLen = frame.length - ETH_HLEN;
        // The test run's socket: AF_INET or AF_INET6 with the header's addresses when it is long enough.
        if (proto == 0x0800) {
            put32(v, FAMILY, 2);
            if (netLen >= 20) {
                System.arraycopy(frame, ETH_HLEN + 16, v, REMOTE_IP4, 4);
                System.arraycopy(frame, ETH_HLEN + 12, v, LOCAL_IP4, 4);
            }
        } else if (proto == 0x86dd) {
            put32(v, FAMILY, 10);
            if (netLen >= 40) {
                System.arraycopy(frame, ETH_HLEN + 24, v, REMOTE_IP6, 16);
                System.arraycopy(frame, ETH_HLEN + 8, v, LOCAL_IP6, 16);
            }
        }
        return v;
    }

    /** {@code eth_type_trans()} against the loopback's all-zero address. */
    static int pktType(byte[] frame) {
        boolean zero = true;
        for (int i = 0; i < 6; i++) zero &= frame[i] == 0;
        if (zero) return 0;
        return (frame[0] & 1) != 0 ? 2 : 3;
    }

    /** {@code convert_skb_to___skb()}: the caller's context with the fields the kernel writes. */
    static byte[] writeBack(byte[] ctx, byte[] view) {
        byte[] out = ctx.clone();
        System.arraycopy(view, MARK, out, MARK, 4);
        System.arraycopy(view, PRIORITY, out, PRIORITY, 4);
        System.arraycopy(view, INGRESS_IFINDEX, out, INGRESS_IFINDEX, 4);
        put32(out, IFINDEX, LOOPBACK);
        System.arraycopy(view, CB, out, CB, CB_END - CB);
        System.arraycopy(view, TSTAMP, out, TSTAMP, 8);
        System.arraycopy(view, WIRE_LEN, out, WIRE_LEN, 4);
        System.arraycopy(view, GSO_SEGS, out, GSO_SEGS, 4);
        System.arraycopy(view, HWTSTAMP, out, HWTSTAMP, 8);
        return out;
    }
}
