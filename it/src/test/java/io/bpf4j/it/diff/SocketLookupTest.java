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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Size;
import io.bpf4j.it.LinuxKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The socket lookup helpers on the kernel and on the simulator. Test runs of tc and XDP programs
 * looking tuples up (any size, namespace id and flags) in a fresh network namespace, which has
 * no sockets, as the simulator has none: every lookup is NULL. And the verifier's rules for the
 * socket a lookup returns: NULL-checked before use, released exactly once, read-only, read only
 * at {@code struct bpf_sock}'s fields, no pointer arithmetic.
 */
class SocketLookupTest {
    private static final Helper[] LOOKUPS = {Helper.SK_LOOKUP_TCP, Helper.SK_LOOKUP_UDP, Helper.SKC_LOOKUP_TCP};

    static LongStream seeds() {
        return Seeds.of(41, 42);
    }

    /** {@code lookup(ctx, fp-64, size, netns, flags)}; a socket found is read (family) and released. */
    record Lookup(Helper helper, int size, long netns, long flags) {
        @Override
        public String toString() {
            return helper.name().toLowerCase() + "(ctx, fp-64, " + size + ", " + netns + ", " + flags + ")";
        }
    }

    private static Scenario runs(String name, ProgramType type, byte[] frame, List<Lookup> calls) {
        Scenario s = new Scenario(name).inNetns();
        s.step("create out", c -> {
            c.def("map#out", c.bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8 * PacketCalls.SLOTS, 1)));
            return "created";
        });
        s.step("load " + type + " " + calls, c -> {
            Asm a = new Asm().mov64(R6, R1);
            for (int j = 0; j < 8; j++) a.lddw(R1, 0x7f00000101000000L ^ 0x0102030405060708L * j).stxdw(R10, -64 + 8 * j, R1);
            int slot = 0;
            for (Lookup l : calls) {
                a.mov64(R1, R6).mov64(R2, R10).add64(R2, -64).mov64(R3, l.size()).lddw(R4, l.netns()).lddw(R5, l.flags())
                        .call(l.helper()).jeq(R0, 0, "n" + slot)
                        .ldxw(R7, R0, 4).mov64(R1, R0).call(Helper.SK_RELEASE).mov64(R0, R7).or64(R0, 0x100).label("n" + slot)
                        .ldMapValue(R1, c.fd("map#out"), 8 * slot++).stxdw(R1, 0, R0);
            }
            a.mov64(R0, type == ProgramType.XDP ? 2 : 0).exit();
            c.def("prog#1", c.bpf.progLoad(ProgramSpec.of(type, a.toArray(), "GPL")).fd());
            return "loaded";
        });
        PacketCalls.runAndReadSlots(s, frame, calls.size());
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void lookupsInAnEmptyNamespaceFindNothing(long seed) {
        Random r = new Random(seed);
        Minimized min = new Minimized("socket-lookup", List.of());
        for (int i = 0; i < 10; i++) {
            ProgramType type = r.nextBoolean() ? ProgramType.XDP : ProgramType.SCHED_CLS;
            byte[] frame = PacketCalls.frame(r, 200);
            List<Lookup> calls = new ArrayList<>();
            for (int n = 1 + r.nextInt(4); n > 0; n--) {
                calls.add(new Lookup(LOOKUPS[r.nextInt(LOOKUPS.length)], new int[] {12, 12, 36, 36, 4, 13, 64}[r.nextInt(7)],
                        new long[] {-1, -1, 0, 1, 0xffffffffL, 1L << 32, -2}[r.nextInt(7)], r.nextInt(5) == 0 ? 1L << r.nextInt(64) : 0));
            }
            String name = type + " lookup program " + i + " of seed " + seed;
            min.check(calls, c -> runs(name, type, frame, c));
        }
        min.finish("lookups seed " + seed);
    }

    /** A tc program looking a TCP tuple up, then {@code then} with the result in r0 and r6. */
    private static VerifierCase sock(String name, UnaryOperator<Asm> then) {
        return sock(name, ProgramType.SCHED_CLS, 12, then);
    }

    private static VerifierCase sock(String name, ProgramType type, int size, UnaryOperator<Asm> then) {
        return new VerifierCase(name, type, m -> then.apply(new Asm().stdw(R10, -8, 0).stdw(R10, -16, 0).stdw(R10, -24, 0)
                .stdw(R10, -32, 0).stdw(R10, -40, 0).mov64(R2, R10).add64(R2, -40).mov64(R3, size).mov64(R4, -1).mov64(R5, 0)
                .call(Helper.SK_LOOKUP_TCP).mov64(R6, R0)).toArray());
    }

    private static UnaryOperator<Asm> release(UnaryOperator<Asm> read) {
        return a -> read.apply(a.jeq(R0, 0, "out")).mov64(R1, R6).call(Helper.SK_RELEASE).label("out").mov64(R0, 0).exit();
    }

    private static UnaryOperator<Asm> reads(int off, int size) {
        Size sz = size == 1 ? Size.B : size == 2 ? Size.H : size == 4 ? Size.W : Size.DW;
        return release(a -> a.ldx(sz, R7, R6, off));
    }

    @Test
    void theVerifiersSocketRulesAreTheKernels() {
        LinuxKernel.require();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"ok", sock("lookup, NULL check, release", release(a -> a))});
        cases.add(new Object[] {"ok", sock("XDP lookup of an IPv6 tuple", ProgramType.XDP, 36, release(a -> a))});
        cases.add(new Object[] {"EINVAL", sock("socket filter cannot look sockets up", ProgramType.SOCKET_FILTER, 12, release(a -> a))});
        cases.add(new Object[] {"EINVAL", sock("socket never released", a -> a.mov64(R0, 0).exit())});
        cases.add(new Object[] {"EINVAL", sock("socket released on one path only", a -> a.jeq(R0, 0, "out").ldxw(R7, R6, 4).jeq(R7, 2, "out")
                .mov64(R1, R6).call(Helper.SK_RELEASE).label("out").mov64(R0, 0).exit())});
        cases.add(new Object[] {"EACCES", sock("release without a NULL check", a -> a.mov64(R1, R6).call(Helper.SK_RELEASE).mov64(R0, 0).exit())});
        cases.add(new Object[] {"EACCES", sock("read before the NULL check", a -> a.ldxw(R7, R0, 4).jeq(R6, 0, "out")
                .mov64(R1, R6).call(Helper.SK_RELEASE).label("out").mov64(R0, 0).exit())});
        cases.add(new Object[] {"EACCES", sock("released twice", a -> a.jeq(R0, 0, "out").mov64(R1, R6).call(Helper.SK_RELEASE)
                .mov64(R1, R6).call(Helper.SK_RELEASE).label("out").mov64(R0, 0).exit())});
        cases.add(new Object[] {"EACCES", sock("write into the socket", release(a -> a.stw(R6, 4, 1)))});
        cases.add(new Object[] {"EACCES", sock("pointer arithmetic on the socket", release(a -> a.add64(R0, 4)))});
        cases.add(new Object[] {"ok", sock("tuple size 0", ProgramType.SCHED_CLS, 0, release(a -> a))});
        cases.add(new Object[] {"EINVAL", sock("tuple past the stack", ProgramType.SCHED_CLS, 48, release(a -> a))});
        cases.add(new Object[] {"EINVAL", new VerifierCase("tail call holding a socket", ProgramType.SCHED_CLS, m -> new Asm()
                .mov64(R7, R1).stdw(R10, -8, 0).stdw(R10, -16, 0).mov64(R2, R10).add64(R2, -16).mov64(R3, 12).mov64(R4, -1).mov64(R5, 0)
                .call(Helper.SK_LOOKUP_TCP).mov64(R6, R0).mov64(R1, R7).ldMapFd(R2, m[0]).mov64(R3, 0).call(Helper.TAIL_CALL)
                .jeq(R6, 0, "out").mov64(R1, R6).call(Helper.SK_RELEASE).label("out").mov64(R0, 0).exit().toArray(),
                MapSpec.of(MapType.PROG_ARRAY, 4, 4, 1))});
        int[][] reads = {{0, 4}, {4, 4}, {4, 2}, {4, 1}, {0, 2}, {16, 1}, {20, 4}, {28, 4}, {30, 2}, {44, 4}, {44, 2}, {48, 4},
            {48, 2}, {49, 1}, {50, 2}, {51, 1}, {52, 4}, {54, 1}, {70, 2}, {72, 4}, {73, 1}, {76, 2}, {76, 4}, {78, 2}, {80, 4}, {8, 8}, {6, 4}, {6, 2},
            {46, 2}, {-4, 4}};
        for (int[] rd : reads) {
            cases.add(new Object[] {null, sock("read " + rd[1] + " bytes at " + rd[0] + " of bpf_sock", reads(rd[0], rd[1]))});
        }
        VerifierRefusalsTest.compare("[socket-lookup] verifier:", cases);
    }
}
