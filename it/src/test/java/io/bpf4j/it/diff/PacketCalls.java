package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;
import static io.bpf4j.api.asm.Register.R4;
import static io.bpf4j.api.asm.Register.R5;
import static io.bpf4j.api.asm.Register.R6;
import static io.bpf4j.api.asm.Register.R7;
import static io.bpf4j.api.asm.Register.R10;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Packet programs made of helper calls with random arguments: each call's {@code r0} goes to a
 * slot of an array map, the program returns a constant, and a test run shows the packet, the
 * return value and the slots. The programs are ones the kernel's verifier accepts: a 64-byte
 * initialised stack buffer for the byte helpers, constant lengths within it, the context kept in
 * {@code r6} across packet-changing calls.
 */
final class PacketCalls {
    private PacketCalls() {
    }

    /** One helper call: its arguments after the context (or all of them for context-free helpers). */
    record Call(Helper helper, boolean ctxFirst, long[] args, boolean stackBuf) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(helper.name().toLowerCase()).append('(');
            List<String> a = new ArrayList<>();
            if (ctxFirst) a.add("ctx");
            for (int i = 0; i < args.length; i++) {
                a.add(stackBuf && i == 1 ? (helper == Helper.CHECK_MTU ? "fp-64=" + args[i] : "fp-64") : Long.toString(args[i]));
            }
            return b.append(String.join(", ", a)).append(')').toString();
        }
    }

    static final int SLOTS = 16;
    /** Context fields the tc programs read after their calls: len, pkt_type, protocol, VLAN. */
    private static final int[] SKB_FIELDS = {0, 4, 16, 20, 24, 28};

    static Call call(Helper h, long... args) {
        return new Call(h, true, args, false);
    }

    static Call bytes(Helper h, long off, long len, long... more) {
        long[] a = new long[3 + more.length];
        a[0] = off;
        a[1] = 0;
        a[2] = len;
        System.arraycopy(more, 0, a, 3, more.length);
        return new Call(h, true, a, true);
    }

    static Call plain(Helper h, long... args) {
        return new Call(h, false, args, false);
    }

    /** A number near one of the edges, or anywhere in {@code [lo, hi]}. */
    static long pick(Random r, long lo, long hi, long... edges) {
        if (edges.length > 0 && r.nextInt(3) > 0) {
            return edges[r.nextInt(edges.length)] + r.nextInt(3) - 1;
        }
        return lo + (long) (r.nextDouble() * (hi - lo + 1));
    }

    static Call randomXdp(Random r, int len) {
        switch (r.nextInt(10)) {
            case 9: return DeviceCalls.xdp(r, len);
            case 0: return call(Helper.XDP_ADJUST_HEAD, pick(r, -300, 300, -256, -216, -14, 0, len - 14, len));
            case 1: return call(Helper.XDP_ADJUST_TAIL, pick(r, -len, 4000, -len + 14, 0, 3520 - len, 3776 - len - 256, 4096 - len));
            case 2: return call(Helper.XDP_ADJUST_META, pick(r, -300, 40, -252, -256, -216, -4, 0, 4));
            case 3: return bytes(Helper.XDP_LOAD_BYTES, pick(r, 0, len + 8, 0, len - 64, len), 1 + r.nextInt(64));
            case 4: return bytes(Helper.XDP_STORE_BYTES, pick(r, 0, len + 8, 0, len - 64, len), 1 + r.nextInt(64));
            case 5: return call(Helper.XDP_GET_BUFF_LEN);
            case 6: return plain(Helper.REDIRECT, r.nextInt(4), r.nextInt(4) == 0 ? 1L << r.nextInt(64) : 0);
            case 7: return plain(Helper.KTIME_GET_COARSE_NS);
            default: return call(Helper.XDP_ADJUST_TAIL, -(long) r.nextInt(Math.max(1, len)));
        }
    }

    static Call randomTc(Random r, int len) {
        long[] csumFlags = {0, 1, 2, 4, 3, 8, 0x10 | 2, 0x20 | 4, 0x40 | 2, 0x80 | 4, 0x80, 0x100};
        switch (r.nextInt(24)) {
            case 21: case 22: case 23: return DeviceCalls.tc(r, len);
            case 20: return bytes(Helper.SKB_LOAD_BYTES_RELATIVE, pick(r, 0, len + 8, 0, len - 64, len - 14), 1 + r.nextInt(64),
                    r.nextInt(4) == 0 ? r.nextInt(4) : r.nextInt(2));
            case 14: return call(Helper.SKB_ADJUST_ROOM, pick(r, -200, 200, -40, -20, 0, 20, 0xfff, 0x1000, -len),
                    r.nextInt(5) == 0 ? r.nextInt(3) : r.nextInt(2), new long[] {0, 0, 0, 1, 0x20, 0x21, 1L << 40}[r.nextInt(7)]);
            case 15: return call(Helper.SKB_CHANGE_TYPE, r.nextInt(6));
            case 16: return call(Helper.CSUM_LEVEL, r.nextInt(5));
            case 17: return call(Helper.CSUM_LEVEL, r.nextInt(2));
            case 18: return call(Helper.CSUM_UPDATE, r.nextInt());
            case 19: return r.nextBoolean() ? call(Helper.SET_HASH_INVALID) : call(Helper.GET_ROUTE_REALM);
            case 0: return bytes(Helper.SKB_LOAD_BYTES, pick(r, 0, len + 8, 0, len - 64, len), 1 + r.nextInt(64));
            case 1: return bytes(Helper.SKB_STORE_BYTES, pick(r, 0, len + 8, 0, len - 64, len), 1 + r.nextInt(64), r.nextInt(4));
            case 2: return call(Helper.L3_CSUM_REPLACE, pick(r, 0, len, 0, 1, 24, len - 2, 0xffff), r.nextInt(0x10000),
                    r.nextInt(0x10000), csumFlags[r.nextInt(csumFlags.length)]);
            case 3: return call(Helper.L4_CSUM_REPLACE, pick(r, 0, len, 0, 1, 36, len - 2, 0x10000), r.nextInt(4) == 0 ? 0 : r.nextInt(0x10000),
                    r.nextInt(0x10000), csumFlags[r.nextInt(csumFlags.length)]);
            case 4: return call(Helper.SKB_PULL_DATA, pick(r, 0, len + 10, 0, len));
            case 5: return call(Helper.SKB_CHANGE_TAIL, pick(r, 0, 20000, 0, 13, 14, len, 16064), r.nextInt(6) == 0 ? 1 : 0);
            case 6: return call(Helper.SKB_CHANGE_HEAD, pick(r, 0, 200, 0, 4, 14, 16064 - len), r.nextInt(6) == 0 ? 1 : 0);
            case 7: return call(Helper.SKB_VLAN_PUSH, new long[] {0x0081, 0xa888, 0x0008, r.nextInt(0x10000)}[r.nextInt(4)],
                    r.nextInt(0x20000));
            case 8: return call(Helper.SKB_VLAN_POP);
            case 9: return plain(Helper.REDIRECT, r.nextInt(4), r.nextInt(3) == 0 ? 1L << r.nextInt(64) : 0);
            case 10: return plain(Helper.KTIME_GET_COARSE_NS);
            case 11: return call(Helper.SKB_CHANGE_TAIL, len + r.nextInt(20) - 10, 0);
            case 12: return call(Helper.SKB_VLAN_PUSH, 0x0081, r.nextInt(0x1000));
            default: return call(Helper.L4_CSUM_REPLACE, 0, 0, r.nextInt(0x10000), r.nextBoolean() ? 0 : 0x80);
        }
    }

    /** Calls a socket filter may make: byte loads from data, the MAC or the network header. */
    static Call randomSocketFilter(Random r, int len) {
        if (r.nextBoolean()) return bytes(Helper.SKB_LOAD_BYTES, pick(r, 0, len + 8, 0, len - 64, len), 1 + r.nextInt(64));
        return bytes(Helper.SKB_LOAD_BYTES_RELATIVE, pick(r, 0, len + 20, 0, len - 64, len - 14, len, len + 14),
                1 + r.nextInt(64), r.nextInt(4) == 0 ? r.nextInt(4) : r.nextInt(2));
    }

    /** A random frame: a length around the edges, an IPv4, IPv6, VLAN or other type, random bytes. */
    static byte[] frame(Random r, int maxLen) {
        int[] lens = {14, 15, 33, 34, 35, 53, 54, 60, 64, 100, 128, 1000, 1514, 3519, 3520, 3521, 3700, 3712};
        int len = r.nextInt(3) == 0 ? 14 + r.nextInt(120) : lens[r.nextInt(lens.length)];
        len = Math.min(len, maxLen);
        byte[] f = new byte[len];
        r.nextBytes(f);
        if (r.nextInt(4) == 0) {
            for (int i = 0; i < 6; i++) f[i] = 0;
        }
        int[] types = {0x0800, 0x86dd, 0x8100, 0x88a8, 0x0806, 0x0100};
        int t = types[r.nextInt(types.length)];
        f[12] = (byte) (t >>> 8);
        f[13] = (byte) t;
        if (t == 0x8100 && len >= 18) {
            f[16] = 0x08;
            f[17] = 0x00;
        }
        return f;
    }

    /** Long packets as their first 48 bytes and a CRC of the whole, so reports stay readable. */
    static String brief(byte[] b) {
        if (b.length <= 96) return Outcome.hex(b);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b);
        return Outcome.hex(java.util.Arrays.copyOf(b, 48)) + "... crc32 " + Long.toHexString(crc.getValue());
    }

    static long[] program(ProgramType type, List<Call> calls, int outFd) {
        Asm a = new Asm().mov64(R6, R1);
        for (int j = 0; j < 8; j++) {
            a.lddw(R1, 0x0102030405060708L * (j + 1)).stxdw(R10, -64 + 8 * j, R1);
        }
        int slot = 0;
        // Whether the skb's hash is the one a set_hash call gave (else the kernel's is keyed with a secret).
        boolean hashKnown = false;
        for (Call c : calls) {
            if (c.helper() == Helper.CHECK_MTU) a.stw(R10, -64, (int) c.args()[1]);
            Asm regs = a;
            int n = 0;
            if (c.ctxFirst()) {
                regs.mov64(R1, R6);
                n = 1;
            }
            io.bpf4j.api.asm.Register[] rs = {R1, R2, R3, R4, R5};
            for (int i = 0; i < c.args().length; i++) {
                io.bpf4j.api.asm.Register reg = rs[n + i];
                if (c.stackBuf() && i == 1) {
                    regs.mov64(reg, R10).add64(reg, -64);
                } else {
                    regs.lddw(reg, c.args()[i]);
                }
            }
            a.call(c.helper());
            if (c.helper() == Helper.KTIME_GET_COARSE_NS) {
                // The time itself differs; that it is not zero is what both must say.
                a.mov64(R7, R0).mov64(R0, 0).jeq(R7, 0, "t" + slot).mov64(R0, 1).label("t" + slot);
            }
            if (c.helper() == Helper.GET_HASH_RECALC && !hashKnown) {
                // A flow's hash: never 0, and the skb's hash field shows it.
                a.mov64(R7, R0).ldxw(R1, R6, 68).mov64(R0, 0).jeq(R7, 0, "h" + slot).mov64(R0, 1).label("h" + slot)
                        .jne(R7, R1, "g" + slot).or64(R0, 2).label("g" + slot);
            }
            if (c.helper() == Helper.SET_HASH) hashKnown = true;
            if (c.helper() == Helper.SET_HASH_INVALID || c.helper() == Helper.SKB_CHANGE_PROTO) hashKnown = false;
            a.ldMapValue(R1, outFd, 8 * slot++).stxdw(R1, 0, R0);
            if (c.helper() == Helper.CHECK_MTU) a.ldxw(R0, R10, -64).ldMapValue(R1, outFd, 8 * slot++).stxdw(R1, 0, R0);
        }
        if (type != ProgramType.XDP) {
            for (int off : SKB_FIELDS) {
                a.ldxw(R0, R6, off).ldMapValue(R1, outFd, 8 * slot++).stxdw(R1, 0, R0);
            }
        }
        return a.mov64(R0, type == ProgramType.XDP ? 2 : 0).exit().toArray();
    }

    /** The scenario: an output map, the program, one test run, the slots. */
    static Scenario scenario(String name, ProgramType type, byte[] frame, List<Call> calls) {
        Scenario s = new Scenario(name);
        if (DeviceCalls.needsNetns(calls)) s.inNetns();
        s.step("create out", c -> {
            c.def("map#out", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, SLOTS * 8, 1)));
            return "created";
        });
        s.step("load " + type + " " + calls, c -> {
            c.def("prog#1", c.bpf.progLoad(ProgramSpec.of(type, program(type, calls, c.fd("map#out")), "GPL")).fd());
            return "loaded";
        });
        s.step("test run, frame of " + frame.length + " bytes: " + brief(frame), c -> {
            TestRunResult t = c.bpf.progTestRun(c.fd("prog#1"), new TestRunSpec(frame, 70000, null, 0, 1, 0, 0, 0));
            return "retval=" + t.retval() + " size=" + t.dataSizeOut() + " data=" + brief(t.dataOut());
        });
        int n0 = calls.size() + (type == ProgramType.XDP ? 0 : SKB_FIELDS.length);
        for (Call call : calls) if (call.helper() == Helper.CHECK_MTU) n0++;
        slots(s, n0);
        return s;
    }

    /**
     * Adds the step that reads the first {@code n} 8-byte slots of the scenario's {@code map#out}
     * (the program's results), as hex.
     */
    static void slots(Scenario s, int n) {
        s.step("slots", c -> {
            byte[] v = new byte[SLOTS * 8];
            c.bpf.mapLookupElem(c.fd("map#out"), new byte[4], v, 0);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append(Long.toHexString(Bytes.le64(v, 8 * i)));
            return b.toString();
        });
    }

    /**
     * Adds the steps that test-run {@code prog#1} once on {@code frame} and read the first
     * {@code n} result slots.
     */
    static void runAndReadSlots(Scenario s, byte[] frame, int n) {
        s.step("test run", c -> {
            TestRunResult t = c.bpf.progTestRun(c.fd("prog#1"), new TestRunSpec(frame, 4096, null, 0, 1, 0, 0, 0));
            return "retval=" + t.retval() + " size=" + t.dataSizeOut();
        });
        slots(s, n);
    }
}
