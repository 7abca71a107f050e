package io.bpf4j.it.attach;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;

/**
 * The programs the attach tests load, written with the assembler. Each counts only what the
 * test itself causes (ICMP of its own ping, system calls of its own thread), so counts can be
 * compared exactly.
 */
final class Progs {
    private Progs() {
    }

    /** {@code return value;} */
    static long[] returning(int value) {
        return new Asm().mov64(R0, value).exit().toArray();
    }

    /** Adds 1 to slot {@code slot}; clobbers R0-R5. */
    static Asm count(Asm a, int mapFd, int slot, String tag) {
        return a.stw(R10, -4, slot)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, mapFd)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "nocount" + tag)
                .mov64(R1, 1)
                .atomicAdd64(R0, 0, R1)
                .label("nocount" + tag);
    }

    /** Stores {@code src} (a callee-saved register) into slot {@code slot}. */
    static Asm store(Asm a, int mapFd, int slot, Register src, String tag) {
        return a.stw(R10, -4, slot)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, mapFd)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "nostore" + tag)
                .stxdw(R0, 0, src)
                .label("nostore" + tag);
    }

    /**
     * Counts IPv4 ICMP frames at an Ethernet hook: XDP ({@code xdp_md}: data 0, data_end 4) or
     * TC ({@code __sk_buff}: data 76, data_end 80), then returns {@code verdict}.
     */
    static long[] countIcmpFrames(boolean xdp, int mapFd, int slot, int verdict) {
        Asm a = new Asm();
        a.ldxw(R2, R1, xdp ? 0 : 76).ldxw(R3, R1, xdp ? 4 : 80)
                .mov64(R4, R2).add64(R4, 34)
                .jgt(R4, R3, "out")
                .ldxh(R4, R2, 12).jne(R4, 0x0008, "out")   // h_proto == htons(ETH_P_IP)
                .ldxb(R4, R2, 23).jne(R4, 1, "out");       // iph->protocol == IPPROTO_ICMP
        count(a, mapFd, slot, "");
        return a.label("out").mov64(R0, verdict).exit().toArray();
    }

    /**
     * A cgroup_skb program (data starts at the IP header) counting IPv4 ICMP packets of one ICMP
     * type ({@code 8} echo request, {@code 0} echo reply); it always allows the packet.
     */
    static long[] countIcmpPackets(int mapFd, int slot, int icmpType) {
        Asm a = new Asm();
        a.ldxw(R4, R1, 16).jne(R4, 0x0008, "out")         // skb->protocol == htons(ETH_P_IP)
                .ldxw(R2, R1, 76).ldxw(R3, R1, 80)
                .mov64(R4, R2).add64(R4, 21)
                .jgt(R4, R3, "out")
                .ldxb(R4, R2, 9).jne(R4, 1, "out")
                .ldxb(R4, R2, 20).jne(R4, icmpType, "out");
        count(a, mapFd, slot, "");
        return a.label("out").mov64(R0, 1).exit().toArray();
    }

    /**
     * For tracepoint, kprobe-type (uprobe) and raw tracepoint programs: when the current thread
     * is {@code tid} (and, for a raw {@code sys_enter}, the system call is {@code syscallNr}),
     * adds 1 to slot {@code slot} and stores {@code bpf_get_attach_cookie(ctx)} in slot
     * {@code slot + 1}; returns {@code retval}.
     *
     * @param syscallNr for raw {@code sys_enter} ({@code args[1]} is the number), else -1
     */
    static long[] countThread(int mapFd, int slot, int tid, int syscallNr, int retval) {
        Asm a = new Asm().mov64(R6, R1);
        if (syscallNr >= 0) a.ldxdw(R2, R6, 8).jne(R2, syscallNr, "out");
        a.call(Helper.GET_CURRENT_PID_TGID).jne32(R0, tid, "out");
        count(a, mapFd, slot, "c");
        a.mov64(R1, R6).call(Helper.GET_ATTACH_COOKIE).mov64(R7, R0);
        store(a, mapFd, slot + 1, R7, "k");
        return a.label("out").mov64(R0, retval).exit().toArray();
    }
}
