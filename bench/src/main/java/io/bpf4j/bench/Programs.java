package io.bpf4j.bench;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R10;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;

/**
 * The interpreter benchmark's three XDP programs, the packet they run on, and how many
 * instructions each executes per run, known by construction: the loop runs a fixed number of
 * times, and the other two take no branch on the benchmark packet, so they execute everything
 * up to their first {@code exit}. A 64-bit immediate load ({@code lddw}, two slots) counts as
 * one instruction and a helper call as one, as the interpreter steps them.
 */
final class Programs {
    private Programs() {}

    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;
    static final int XDP_TX = 3;

    // ------------------------------------------------------------ arithmetic loop

    static final int LOOP_ITERATIONS = 1000;
    /** 3 set-up + 5 per iteration + 2 at the end. */
    static final int LOOP_INSNS = 3 + 5 * LOOP_ITERATIONS + 2;

    /** A bounded loop of 64-bit ALU work; returns XDP_PASS. */
    static long[] loop() {
        return new Asm()
                .mov64(R0, 0)
                .mov64(R1, 0)
                .mov64(R2, 0x12345)
                .label("loop")
                .add64(R0, R1)
                .xor64(R0, R2)
                .lsh64(R2, 1)
                .add64(R1, 1)
                .jlt(R1, LOOP_ITERATIONS, "loop")
                .mov64(R0, XDP_PASS)
                .exit()
                .toArray();
    }

    // ------------------------------------------------------------ packet parser

    /** Executed on {@link #packet()}: everything before the first exit. */
    static final int PARSER_INSNS = 55;

    /**
     * Ethernet, IPv4 (version, IHL, TTL, protocol, header checksum over ten 16-bit words) and
     * UDP (destination port 53, length) checks; returns XDP_TX for a good DNS packet.
     */
    static long[] parser() {
        Asm a = new Asm()
                .ldxw(R2, R1, 0) // data
                .ldxw(R3, R1, 4) // data_end
                .mov64(R4, R2)
                .add64(R4, 42) // eth + ip + udp
                .jgt(R4, R3, "drop")
                .ldxh(R5, R2, 12) // ethertype, network order
                .jne(R5, 0x0008, "pass") // htons(ETH_P_IP) as loaded on little endian
                .ldxb(R5, R2, 14)
                .mov64(R6, R5)
                .rsh64(R6, 4)
                .jne(R6, 4, "drop") // version
                .and64(R5, 0xf)
                .jne(R5, 5, "drop") // IHL: no options
                .ldxb(R5, R2, 22)
                .jeq(R5, 0, "drop") // TTL
                .ldxb(R5, R2, 23)
                .jne(R5, 17, "pass") // UDP
                .mov64(R6, 0);
        for (int i = 0; i < 10; i++) {
            a.ldxh(R7, R2, 14 + 2 * i).add64(R6, R7);
        }
        return a
                .mov64(R7, R6).rsh64(R7, 16).and64(R6, 0xffff).add64(R6, R7)
                .mov64(R7, R6).rsh64(R7, 16).and64(R6, 0xffff).add64(R6, R7)
                .jne(R6, 0xffff, "drop") // checksum
                .ldxh(R5, R2, 36)
                .be(R5, 16)
                .jne(R5, 53, "pass") // DNS
                .ldxh(R5, R2, 38)
                .be(R5, 16)
                .jlt(R5, 8, "drop") // UDP length
                .mov64(R0, XDP_TX)
                .exit()
                .label("pass")
                .mov64(R0, XDP_PASS)
                .exit()
                .label("drop")
                .mov64(R0, XDP_DROP)
                .exit()
                .toArray();
    }

    /** 64 bytes: Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 with a valid checksum, UDP 1234 -> 53. */
    static byte[] packet() {
        byte[] p = new byte[64];
        byte[] eth = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
        System.arraycopy(eth, 0, p, 0, eth.length);
        int ip = 14;
        p[ip] = 0x45;
        p[ip + 2] = 0;
        p[ip + 3] = 50; // total length
        p[ip + 4] = 0x12;
        p[ip + 5] = 0x34; // id
        p[ip + 6] = 0x40; // DF
        p[ip + 8] = 64; // TTL
        p[ip + 9] = 17; // UDP
        byte[] addrs = {10, 0, 0, 1, 10, 0, 0, 2};
        System.arraycopy(addrs, 0, p, ip + 12, addrs.length);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += ((p[ip + i] & 0xff) << 8) | (p[ip + i + 1] & 0xff);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        int csum = ~sum & 0xffff;
        p[ip + 10] = (byte) (csum >>> 8);
        p[ip + 11] = (byte) csum;
        int udp = 34;
        p[udp] = (byte) (1234 >>> 8);
        p[udp + 1] = (byte) 1234;
        p[udp + 2] = 0;
        p[udp + 3] = 53;
        p[udp + 4] = 0;
        p[udp + 5] = 30; // UDP length: 8 + 22
        for (int i = 42; i < 64; i++) p[i] = (byte) i;
        return p;
    }

    // ------------------------------------------------------------ map-heavy

    static final int MAP_ENTRIES = 64;
    static final int MAP_LOOKUPS = 8;
    static final int MAP_UPDATES = 4;
    /** 9 per lookup-and-increment, 9 per update, 2 at the end. */
    static final int MAPS_INSNS = 9 * MAP_LOOKUPS + 9 * MAP_UPDATES + 2;

    /**
     * Eight lookups with an increment of the value found, then four updates, in an array map
     * of {@link #MAP_ENTRIES} u32 -> u64; returns XDP_PASS (XDP_ABORTED if a lookup failed).
     */
    static long[] maps(int arrayMapFd) {
        Asm a = new Asm();
        for (int i = 0; i < MAP_LOOKUPS; i++) {
            a.stw(R10, -4, i)
                    .ldMapFd(R1, arrayMapFd)
                    .mov64(R2, R10)
                    .add64(R2, -4)
                    .call(Helper.MAP_LOOKUP_ELEM)
                    .jeq(R0, 0, "out")
                    .ldxdw(R1, R0, 0)
                    .add64(R1, 1)
                    .stxdw(R0, 0, R1);
        }
        for (int i = 0; i < MAP_UPDATES; i++) {
            a.stw(R10, -4, MAP_LOOKUPS + i)
                    .stdw(R10, -16, i)
                    .ldMapFd(R1, arrayMapFd)
                    .mov64(R2, R10)
                    .add64(R2, -4)
                    .mov64(R3, R10)
                    .add64(R3, -16)
                    .mov64(R4, 0)
                    .call(Helper.MAP_UPDATE_ELEM);
        }
        return a
                .mov64(R0, XDP_PASS)
                .exit()
                .label("out")
                .mov64(R0, 0)
                .exit()
                .toArray();
    }

    /**
     * Instructions up to and including the first {@code exit}, a {@code lddw} counting once:
     * what a straight-line run executes.
     */
    static int straightLine(long[] code) {
        int n = 0;
        for (int pc = 0; pc < code.length; pc++) {
            int op = (int) (code[pc] & 0xff);
            n++;
            if (op == 0x18) pc++; // lddw: the second slot is not an instruction
            if (op == 0x95) return n;
        }
        throw new IllegalArgumentException("no exit");
    }

    /** Checks the constants above against the programs, so the per-instruction figures stay true. */
    static void checkCounts() {
        if (straightLine(parser()) != PARSER_INSNS) {
            throw new IllegalStateException("parser executes " + straightLine(parser()) + ", not " + PARSER_INSNS);
        }
        if (straightLine(maps(0)) != MAPS_INSNS) {
            throw new IllegalStateException("maps executes " + straightLine(maps(0)) + ", not " + MAPS_INSNS);
        }
        long[] loop = loop();
        // 3 set-up, a 5-instruction body ending in the back jump, then 2.
        if (loop.length != 10 || (loop[7] & 0xff) != 0xa5) {
            throw new IllegalStateException("loop layout changed; update LOOP_INSNS");
        }
    }
}
