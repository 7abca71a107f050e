package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.testsupport.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code bpf4j events} on the kernel: records a program sent, as JSON lines, from a pinned map or by id. */
class EventsCommandTest {
    /** 0x1122334455667788 little-endian, as the program stores it. */
    private static final String DATA = "8877665544332211";

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Sends {@code 0x1122334455667788} to the map once per run: ring buffer output, or perf output on this CPU. */
    private static BpfProgram producer(Bpf bpf, BpfMap out) {
        boolean perf = out.type() == MapType.PERF_EVENT_ARRAY;
        Asm a = new Asm().mov64(Register.R6, Register.R1).lddw(Register.R1, 0x1122334455667788L)
                .stxdw(Register.R10, -8, Register.R1);
        if (perf) {
            a.mov64(Register.R1, Register.R6).ldMapFd(Register.R2, out.fd()).lddw(Register.R3, 0xffffffffL)
                    .mov64(Register.R4, Register.R10).add64(Register.R4, -8).mov64(Register.R5, 8).call(Helper.PERF_EVENT_OUTPUT);
        } else {
            a.ldMapFd(Register.R1, out.fd()).mov64(Register.R2, Register.R10).add64(Register.R2, -8).mov64(Register.R3, 8)
                    .mov64(Register.R4, 0).call(Helper.RINGBUF_OUTPUT);
        }
        ProgramType t = perf ? ProgramType.SCHED_CLS : ProgramType.SOCKET_FILTER;
        return BpfProgram.load(bpf, ProgramSpec.of(t, a.exit().toArray(), "GPL"));
    }

    private static void send(BpfProgram p, int times) {
        p.testRun(TestRunSpec.ofData(new byte[64]).withRepeat(times));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(CliRun r) {
        return r.out().lines().map(l -> (Map<String, Object>) MiniJson.parse(l)).toList();
    }

    @Test
    void aRingBufferStreamsFromItsPinAsJsonLines() throws Exception {
        KernelHere.assumeBackend("linux");
        Path pin = Path.of("/sys/fs/bpf", Host.fresh("cli-events"));
        try (Bpf bpf = Bpf.open("linux"); BpfMap ring = BpfMap.create(bpf, MapSpec.of(MapType.RINGBUF, 0, 0, 1 << 16));
                BpfProgram p = producer(bpf, ring)) {
            ring.pin(pin.toString());
            send(p, 5);
            // Records waiting before the reader starts are delivered: a ring keeps them.
            CliRun r = run("events", "--backend", "linux", "--count", "3", "--seconds", "10", pin.toString());
            assertEquals(0, r.code(), r.err());
            List<Map<String, Object>> got = lines(r);
            assertEquals(3, got.size(), r.out());
            for (Map<String, Object> m : got) {
                assertEquals(Map.of("length", 8L, "data", DATA), normalised(m), r.out());
            }
            // By id too, and --seconds ends a quiet stream with what came: the two the first
            // reader left in the ring when it stopped at its count, and two more.
            send(p, 2);
            r = run("events", "--backend", "linux", "--seconds", "0.5", Integer.toString(ring.info().id()));
            assertEquals(0, r.code(), r.err());
            assertEquals(4, lines(r).size(), r.out());
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void aPerfBufferStreamsEachRecordWithItsCpu() throws Exception {
        KernelHere.assumeBackend("linux");
        try (Bpf bpf = Bpf.open("linux");
                BpfMap array = BpfMap.create(bpf, MapSpec.of(MapType.PERF_EVENT_ARRAY, 4, 4, bpf.possibleCpus()));
                BpfProgram p = producer(bpf, array)) {
            String id = Integer.toString(array.info().id());
            // The reader puts its events into the array when it starts: send until it has read three.
            CompletableFuture<CliRun> reading = CompletableFuture.supplyAsync(
                    () -> run("events", "--backend", "linux", "--count", "3", "--seconds", "20", id));
            while (!reading.isDone()) {
                send(p, 1);
                Thread.sleep(20);
            }
            CliRun r = reading.get(1, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.err());
            List<Map<String, Object>> got = lines(r);
            assertEquals(3, got.size(), r.out());
            for (Map<String, Object> m : got) {
                long cpu = ((Number) m.get("cpu")).longValue();
                assertTrue(cpu >= 0 && cpu < bpf.possibleCpus(), r.out());
                // The kernel pads a raw sample to end on 8 bytes after its 4-byte size: 8 bytes sent, 12 read.
                assertEquals(Map.of("length", 12L, "data", DATA + "00000000"), normalised(m), r.out());
            }
        }
    }

    @Test
    void anotherMapTypeIsNamedAndExitsTwo() throws Exception {
        KernelHere.assumeBackend("linux");
        try (Bpf bpf = Bpf.open("linux"); BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 4, 1))) {
            String id = Integer.toString(hash.info().id());
            CliRun r = run("events", "--backend", "linux", id);
            assertEquals(2, r.code(), r.out());
            assertEquals("bpf4j: MAP: " + id + " is a HASH map, not RINGBUF or PERF_EVENT_ARRAY\n", r.err());
        }
        CliRun r = run("events", "--backend", "linux", "--count", "-1", "7");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--count: -1 is negative"), r.err());
    }

    private static Map<String, Object> normalised(Map<String, Object> m) {
        return Map.of("length", ((Number) m.get("length")).longValue(), "data", m.get("data"));
    }
}
