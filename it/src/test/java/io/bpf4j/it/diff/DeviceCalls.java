package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.PacketCalls.call;
import static io.bpf4j.it.diff.PacketCalls.pick;

import io.bpf4j.api.asm.Helper;
import java.util.List;
import java.util.Random;

/**
 * The random calls of packet helpers that ask about or hand the packet to a device
 * ({@code check_mtu}, {@code clone_redirect}, {@code redirect_peer}, {@code redirect_neigh}) or
 * change the skb's protocol and hash, for {@link PacketCalls}' programs. A program that names a
 * device other than the packet's own runs, on the kernel, in a fresh network namespace, whose
 * only device is its loopback, as the simulator's.
 */
final class DeviceCalls {
    private DeviceCalls() {
    }

    private static final long[] IFINDEX = {0, 0, 1, 1, 2, 0xffffffffL, 1L << 32};
    private static final long[] MTU_IN = {0, 0, 0, 1, 1500, 65522, 65535, 65536, 65537, 0xfffffff0L, 0xffffffffL};

    /** {@code check_mtu(ctx, ifindex, &mtu_len, len_diff, flags)}, the {@code mtu_len} it starts with as the second argument. */
    static PacketCalls.Call checkMtu(Random r, int len, boolean xdp) {
        long ifindex = IFINDEX[r.nextInt(IFINDEX.length)];
        long in = r.nextInt(5) == 0 ? r.nextInt(70000) : MTU_IN[r.nextInt(MTU_IN.length)];
        long diff = r.nextInt(4) == 0 ? 0 : pick(r, -20000, 70000, 65550 - len, 0, -len, 65536, 65550 - in - 14, 0x7fffffff, -0x80000000L);
        if (r.nextInt(8) == 0) diff |= 0x1234L << 40;
        long flags = new long[] {0, 0, 0, 0, 1, 1, 2, 1L << 40, xdp ? 1 : 3}[r.nextInt(9)];
        return new PacketCalls.Call(Helper.CHECK_MTU, true, new long[] {ifindex, in, diff, flags}, true);
    }

    static PacketCalls.Call xdp(Random r, int len) {
        return checkMtu(r, len, true);
    }

    static PacketCalls.Call tc(Random r, int len) {
        switch (r.nextInt(7)) {
            case 0: return checkMtu(r, len, false);
            case 1: return call(Helper.SKB_CHANGE_PROTO, new long[] {0x0008, 0xdd86, 0xdd86, 0x0008, 0x0081, 0x10008,
                r.nextInt(0x10000)}[r.nextInt(7)], r.nextInt(8) == 0 ? 1L << r.nextInt(64) : 0);
            case 2: return r.nextBoolean() ? call(Helper.GET_HASH_RECALC)
                    : call(Helper.SET_HASH, r.nextBoolean() ? 0 : r.nextInt() & 0xffffffffL);
            case 3: return call(Helper.CLONE_REDIRECT, new long[] {1, 1, 1, 0, 2, 1L << 32 | 1}[r.nextInt(6)],
                    new long[] {0, 0, 1, 1, 2, 1L << 63}[r.nextInt(6)]);
            case 4: return PacketCalls.plain(Helper.REDIRECT_PEER, r.nextInt(4), r.nextInt(3) == 0 ? 1L << r.nextInt(64) : 0);
            case 5: return new PacketCalls.Call(Helper.REDIRECT_NEIGH, false, new long[] {r.nextInt(4), 0,
                new long[] {0, 0, 1, 19, 20, 21, 64}[r.nextInt(7)], r.nextInt(4) == 0 ? 1L << r.nextInt(64) : 0}, true);
            default: return call(Helper.SET_HASH_INVALID);
        }
    }

    /** Whether the kernel side must run in a fresh network namespace: a device other than the packet's is named. */
    static boolean needsNetns(List<PacketCalls.Call> calls) {
        for (PacketCalls.Call c : calls) {
            if (c.helper() == Helper.CLONE_REDIRECT) return true;
            if (c.helper() == Helper.CHECK_MTU && (int) c.args()[0] != 0 && (int) c.args()[0] != 1) return true;
        }
        return false;
    }
}
