package io.bpf4j.bench;

import static io.bpf4j.api.asm.Register.*;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Microseconds per program load: the simulator's {@code BPF_PROG_LOAD} (structural checks,
 * verifier, decoding; {@code *Sim}) beside the kernel's ({@code *Kernel}) for the benchmark
 * programs ({@link Programs}) and for a packet program of about three thousand instructions
 * with a thousand branches ({@code big}), each loaded and closed once per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ProgLoad {
    /** The programs, with one backend open. */
    abstract static class Side {
        Bpf bpf;
        int arrayMap = -1;
        ProgramSpec loop;
        ProgramSpec parser;
        ProgramSpec maps;
        ProgramSpec big;

        void open(String backend) {
            bpf = Bpf.open(backend);
            arrayMap = bpf.mapCreate(MapSpec.of(MapType.ARRAY, 4, 8, Programs.MAP_ENTRIES).withName("bench_arr"));
            loop = ProgramSpec.of(ProgramType.XDP, Programs.loop(), "GPL");
            parser = ProgramSpec.of(ProgramType.XDP, Programs.parser(), "GPL");
            maps = ProgramSpec.of(ProgramType.XDP, Programs.maps(arrayMap), "GPL");
            big = ProgramSpec.of(ProgramType.XDP, big(), "GPL");
            for (ProgramSpec s : new ProgramSpec[] {loop, parser, maps, big}) load(s);
        }

        int load(ProgramSpec s) {
            LoadResult r = bpf.progLoad(s);
            bpf.closeFd(r.fd());
            return r.fd();
        }

        @TearDown(Level.Trial)
        public void close() {
            if (bpf == null) return;
            if (arrayMap >= 0) bpf.closeFd(arrayMap);
            bpf.close();
        }
    }

    /** The simulator. */
    @State(Scope.Benchmark)
    public static class Sim extends Side {
        @Setup(Level.Trial)
        public void setup() {
            open("sim");
        }
    }

    /** The kernel. */
    @State(Scope.Benchmark)
    public static class Kernel extends Side {
        @Setup(Level.Trial)
        public void setup() {
            open("linux");
        }
    }

    /** A thousand bounds-checked packet reads, each followed by a branch on the byte read. */
    static long[] big() {
        Asm a = new Asm().mov64(R0, 0).ldxw(R2, R1, 0).ldxw(R3, R1, 4).mov64(R4, R2).add64(R4, 64).jgt(R4, R3, "out");
        for (int i = 0; i < 1000; i++) {
            a.ldxb(R5, R2, i % 64).jgt(R5, i & 0xff, "skip" + i).add64(R0, R5).label("skip" + i);
        }
        return a.label("out").mov64(R0, Programs.XDP_PASS).exit().toArray();
    }

    @Benchmark
    public int loopSim(Sim s) {
        return s.load(s.loop);
    }

    @Benchmark
    public int loopKernel(Kernel k) {
        return k.load(k.loop);
    }

    @Benchmark
    public int parserSim(Sim s) {
        return s.load(s.parser);
    }

    @Benchmark
    public int parserKernel(Kernel k) {
        return k.load(k.parser);
    }

    @Benchmark
    public int mapsSim(Sim s) {
        return s.load(s.maps);
    }

    @Benchmark
    public int mapsKernel(Kernel k) {
        return k.load(k.maps);
    }

    @Benchmark
    public int bigSim(Sim s) {
        return s.load(s.big);
    }

    @Benchmark
    public int bigKernel(Kernel k) {
        return k.load(k.big);
    }
}
