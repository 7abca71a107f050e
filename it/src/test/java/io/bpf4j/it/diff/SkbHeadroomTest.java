package io.bpf4j.it.diff;

import static io.bpf4j.it.diff.PacketCalls.call;

import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Helper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * tc programs that grow the skb's head past a test run's headroom (by {@code skb_change_head},
 * {@code skb_adjust_room}, a VLAN tag or {@code skb_change_proto}) and then shrink or move it,
 * ending with {@code skb_change_tail}, whose shortest allowed length depends on where the headers
 * are (a reallocated head moves the transport header, set or not): each sequence runs on the
 * kernel and on the simulator.
 */
class SkbHeadroomTest {
    @Test
    void headGrowthMovesTheTransportHeader() {
        Minimized min = new Minimized("skb-headroom", KnownPacketDifferences.LIST);
        Random r = new Random(51);
        List<List<PacketCalls.Call>> seqs = new ArrayList<>();
        for (long head : new long[] {50, 64, 65, 100, 128, 129, 200, 1000}) {
            for (long tail : new long[] {13, 14, 15, 34, 35, 36, 63, 64, 65, 100, 114, 115, 200}) {
                seqs.add(List.of(call(Helper.SKB_CHANGE_HEAD, head, 0), call(Helper.SKB_CHANGE_TAIL, tail, 0)));
            }
        }
        for (long grow : new long[] {100, 300, 1000, 2000, 4095}) {
            for (long tail : new long[] {57, 120, 250, 1000, 2000, 4100}) {
                seqs.add(List.of(call(Helper.SKB_ADJUST_ROOM, grow, 1, 1), call(Helper.SKB_CHANGE_TAIL, tail, 0)));
                seqs.add(List.of(call(Helper.SKB_ADJUST_ROOM, grow, 0, 0), call(Helper.SKB_CHANGE_TAIL, tail, 0)));
            }
        }
        for (int i = 0; i < 300; i++) {
            List<PacketCalls.Call> c = new ArrayList<>();
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                switch (r.nextInt(5)) {
                    case 0 -> c.add(call(Helper.SKB_ADJUST_ROOM, r.nextInt(4) == 0 ? -r.nextInt(60) : r.nextInt(r.nextBoolean() ? 300 : 4096),
                            r.nextInt(2), r.nextBoolean() ? 0 : 1));
                    case 1 -> c.add(call(Helper.SKB_VLAN_PUSH, 0x0081, r.nextInt(0x1000)));
                    case 2 -> c.add(call(Helper.SKB_CHANGE_PROTO, r.nextBoolean() ? 0xdd86 : 0x0008, 0));
                    case 3 -> c.add(call(Helper.SKB_CHANGE_HEAD, r.nextInt(r.nextBoolean() ? 150 : 2000), 0));
                    default -> c.add(call(Helper.SKB_VLAN_POP));
                }
            }
            c.add(call(Helper.SKB_CHANGE_TAIL, r.nextInt(r.nextBoolean() ? 300 : 4500), 0));
            seqs.add(c);
        }
        int i = 0;
        for (List<PacketCalls.Call> seq : seqs) {
            byte[] frame = PacketCalls.frame(r, 400);
            String name = "tc headroom program " + i++;
            min.check(seq, c -> PacketCalls.scenario(name, ProgramType.SCHED_CLS, frame, c));
        }
        min.finish("tc headroom");
    }
}
