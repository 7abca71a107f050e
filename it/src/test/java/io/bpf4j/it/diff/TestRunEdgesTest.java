package io.bpf4j.it.diff;

import static io.bpf4j.api.asm.Register.R0;
import static io.bpf4j.api.asm.Register.R1;
import static io.bpf4j.api.asm.Register.R2;
import static io.bpf4j.api.asm.Register.R3;

import io.bpf4j.api.ProgramFlags;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code BPF_PROG_TEST_RUN} inputs at their edges, on the kernel and on the simulator: XDP
 * frames around the page's linear limit and into fragments, {@code xdp_md} with metadata, a
 * shorter {@code data_end}, interface fields; skb frames around one page, short IPv4 and IPv6
 * headers, {@code __sk_buff} fields a caller may and may not set, {@code wire_len} and
 * {@code gso_segs} limits, context write-back and short output buffers; syscall program contexts.
 * The programs return a context field (or the packet length), so what the program saw is
 * compared too. Random rows mix the edges; replay with {@code -Dbpf4j.diff.seed=N}.
 */
class TestRunEdgesTest {
    /** A program that returns one context field or, with {@code field < 0}, data_end - data (minus meta with -2). */
    record Prog(ProgramType type, int field, int size, long flags) {
        long[] insns() {
            Asm a = new Asm();
            if (field == -1) {
                a.ldxw(R2, R1, type == ProgramType.XDP ? 0 : 76).ldxw(R3, R1, type == ProgramType.XDP ? 4 : 80)
                        .mov64(R0, R3).sub64(R0, R2);
            } else if (field == -2) {
                a.ldxw(R2, R1, 8).ldxw(R3, R1, 0).mov64(R0, R3).sub64(R0, R2);
            } else if (field == -3) {
                // A tc program that writes what a caller may read back: mark, priority, cb[0], tstamp.
                a.stw(R1, 8, 0x1234).stw(R1, 32, 7).stw(R1, 48, 0x55).stdw(R1, 152, 99).mov64(R0, 0);
            } else if (type == ProgramType.SYSCALL) {
                a.ldxw(R0, R1, field).stw(R1, field, 0x77);
            } else if (type == ProgramType.CGROUP_SKB) {
                // A cgroup skb program returns 0 or 1: the length's low bit.
                a.ldxw(R0, R1, field).and64(R0, 1);
            } else {
                a.ldx(size == 8 ? io.bpf4j.api.asm.Size.DW : io.bpf4j.api.asm.Size.W, R0, R1, field);
            }
            return a.exit().toArray();
        }

        @Override
        public String toString() {
            return type + (field == -1 ? " returning data_end - data" : field == -2 ? " returning data - data_meta"
                    : field == -3 ? " writing mark, priority, cb[0], tstamp" : " returning ctx+" + field);
        }
    }

    record Row(Prog prog, byte[] data, int dataOut, byte[] ctx, int ctxOut, int repeat) {
        @Override
        public String toString() {
            return prog + ", data " + (data == null ? "none" : data.length + " bytes") + " out " + dataOut
                    + ", ctx " + (ctx == null ? "none" : Outcome.hex(ctx)) + " out " + ctxOut + (repeat > 1 ? ", repeat " + repeat : "");
        }
    }

    private static byte[] frame(int n, int ethType) {
        byte[] f = new byte[n];
        for (int i = 0; i < n; i++) f[i] = (byte) (i * 7 + 1);
        if (n >= 14) {
            f[12] = (byte) (ethType >>> 8);
            f[13] = (byte) ethType;
        }
        return f;
    }

    private static byte[] ctx(int size, int... offValue) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 1 < offValue.length; i += 2) b.putInt(offValue[i], offValue[i + 1]);
        return b.array();
    }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        Prog xdpLen = new Prog(ProgramType.XDP, -1, 4, 0);
        Prog xdpMeta = new Prog(ProgramType.XDP, -2, 4, 0);
        for (int n : new int[] {0, 13, 14, 15, 3519, 3520, 3521, 4096, 3520 + 4096 * 17, 3520 + 4096 * 17 + 1}) {
            r.add(new Row(xdpLen, n == 0 ? null : frame(n, 0x0800), 1 << 17, null, 0, 1));
        }
        r.add(new Row(xdpLen, frame(3600, 0x0800), 3000, null, 0, 1));
        for (int[] c : new int[][] {{0, 0, 4, 64}, {0, 0, 4, 60}, {0, 8, 4, 64}, {0, 8, 4, 22}, {0, 8, 4, 21}, {0, 6, 4, 64},
            {0, 252, 4, 300}, {0, 256, 4, 300}, {0, 4, 4, 2}, {0, 0, 4, 65}, {0, 0, 4, 64, 8, 4}, {0, 0, 4, 64, 12, 1},
            {0, 0, 4, 64, 12, 999}, {0, 0, 4, 64, 16, 1}, {0, 0, 4, 64, 20, 1}, {0, 0, 4, 10}, {0, 0, 4, 14},
            {0, 0, 4, 64, 12, 1, 16, 1}, {0, 32, 4, 64}, {0, 36, 4, 64}, {0, 40, 4, 64}, {0, 64, 4, 100}, {0, 0, 4, 0},
            {0, 216, 4, 300}, {0, 220, 4, 300}}) {
            int dataLen = c.length > 3 && c[3] == 300 ? 300 : 64;
            r.add(new Row(xdpLen, frame(dataLen, 0x0800), 4096, ctx(24, c), 24, 1));
            r.add(new Row(xdpMeta, frame(dataLen, 0x0800), 4096, ctx(24, c), 24, 1));
        }
        r.add(new Row(xdpLen, frame(64, 0x0800), 4096, null, 24, 1));
        r.add(new Row(xdpLen, frame(64, 0x0800), 4096, ctx(24, 4, 64), 16, 1));
        r.add(new Row(xdpLen, frame(64, 0x0800), 4096, ctx(32, 4, 64), 32, 1));
        r.add(new Row(xdpLen, frame(64, 0x0800), 4096, ctx(32, 4, 64, 28, 1), 32, 1));
        r.add(new Row(new Prog(ProgramType.XDP, 12, 4, 0), frame(64, 0x0800), 0, null, 0, 1));
        r.add(new Row(new Prog(ProgramType.XDP, 16, 4, 0), frame(64, 0x0800), 0, null, 0, 1));
        Prog tcLen = new Prog(ProgramType.SCHED_CLS, 0, 4, 0);
        for (int n : new int[] {13, 14, 15, 33, 34, 53, 54, 3710, 3711, 3712, 3713}) {
            for (int t : new int[] {0x0800, 0x86dd, 0x0806, 0x0100}) r.add(new Row(tcLen, frame(n, t), 8192, null, 0, 1));
        }
        for (ProgramType t : new ProgramType[] {ProgramType.SOCKET_FILTER, ProgramType.CGROUP_SKB}) {
            for (int n : new int[] {14, 33, 34, 54, 3712}) r.add(new Row(new Prog(t, 0, 4, 0), frame(n, 0x86dd), 8192, null, 0, 1));
        }
        int[] fields = {0, 4, 8, 16, 32, 36, 40, 48, 160, 164, 176};
        for (int f : fields) {
            r.add(new Row(new Prog(ProgramType.SCHED_CLS, f, 4, 0), frame(60, 0x0800), 8192, null, 0, 1));
            r.add(new Row(new Prog(ProgramType.SCHED_CLS, f, 4, 0), frame(60, 0x0800), 8192,
                    ctx(192, 8, 5, 32, 6, 36, 1, 48, 9, 160, 100, 164, 3, 176, 1400), 192, 1));
        }
        byte[] dst = frame(60, 0x0800);
        for (int i = 0; i < 6; i++) dst[i] = 0;
        r.add(new Row(new Prog(ProgramType.SCHED_CLS, 4, 4, 0), dst, 8192, null, 0, 1));
        dst = frame(60, 0x0800);
        dst[0] = 1;
        r.add(new Row(new Prog(ProgramType.SCHED_CLS, 4, 4, 0), dst, 8192, null, 0, 1));
        Prog tcWrite = new Prog(ProgramType.SCHED_CLS, -3, 4, 0);
        // ifindex 2 and above name host devices (the simulator has only lo): not compared.
        for (int[] c : new int[][] {{}, {0, 1}, {4, 1}, {8, 1}, {12, 1}, {16, 1}, {20, 1}, {40, 1}, {44, 1},
            {68, 1}, {84, 1}, {140, 1}, {160, 59}, {160, 60}, {160, 65536}, {160, 65537}, {164, 65535}, {164, 65536},
            {168, 1}, {180, 1}, {184, 1}, {188, 1}}) {
            r.add(new Row(tcWrite, frame(60, 0x0800), 8192, ctx(192, c), 192, 1));
        }
        r.add(new Row(tcWrite, frame(60, 0x0800), 8192, null, 192, 1));
        r.add(new Row(tcWrite, frame(60, 0x0800), 8192, ctx(192), 100, 1));
        r.add(new Row(tcWrite, frame(60, 0x0800), 8192, ctx(200), 200, 1));
        r.add(new Row(tcWrite, frame(60, 0x0800), 8192, ctx(100, 8, 3), 100, 1));
        r.add(new Row(tcLen, frame(60, 0x0800), 30, null, 0, 1));
        r.add(new Row(tcLen, frame(60, 0x0800), 60, null, 0, 5));
        Prog sys = new Prog(ProgramType.SYSCALL, 0, 4, ProgramFlags.SLEEPABLE);
        for (int n : new int[] {4, 8, 65535, 65536}) {
            r.add(new Row(sys, null, 0, ctx(n, 0, 42), n, 1));
            r.add(new Row(sys, null, 0, ctx(n, 0, 42), 0, 0));
        }
        r.add(new Row(sys, null, 0, ctx(8, 0, 42), 0, 1));
        r.add(new Row(sys, null, 0, ctx(8, 0, 42), 4, 0));
        r.add(new Row(sys, null, 0, ctx(8, 0, 42), 0, 2));
        r.add(new Row(sys, frame(20, 0), 0, ctx(8, 0, 42), 0, 0));
        return r;
    }

    private static String render(TestRunResult t) {
        return "retval=" + t.retval() + " size=" + t.dataSizeOut() + " data=" + PacketCalls.brief(t.dataOut())
                + " ctx=" + Outcome.hex(t.ctxOut());
    }

    static Scenario scenario(String name, List<Row> rows) {
        Scenario s = new Scenario(name);
        int i = 0;
        for (Row row : rows) {
            String sym = "prog#" + i++;
            s.step("load " + row.prog(), c -> {
                ProgramSpec spec = ProgramSpec.of(row.prog().type(), row.prog().insns(), "GPL");
                c.def(sym, c.bpf.progLoad(row.prog().flags() == 0 ? spec : spec.withFlags((int) row.prog().flags())).fd());
                return "loaded";
            });
            s.step("test run: " + row, c -> render(c.bpf.progTestRun(c.fd(sym), new TestRunSpec(row.data(), row.dataOut(),
                    row.ctx(), row.ctxOut(), row.repeat(), 0, 0, 0))));
        }
        return s;
    }

    @Test
    void edges() {
        Minimized m = new Minimized("test-run-diff", List.of());
        List<Row> all = rows();
        for (Row row : all) m.check(List.of(row), rs -> scenario("edge", rs));
        Random r = new Random(Seeds.of(51).findFirst().getAsLong());
        for (int i = 0; i < 20; i++) {
            List<Row> rs = new ArrayList<>();
            for (int n = 2 + r.nextInt(4); n > 0; n--) rs.add(all.get(r.nextInt(all.size())));
            m.check(rs, x -> scenario("random rows", x));
        }
        m.finish("test-run edges");
    }
}
