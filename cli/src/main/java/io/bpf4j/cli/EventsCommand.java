package io.bpf4j.cli;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapType;
import io.bpf4j.api.events.EventRecord;
import io.bpf4j.api.events.PerfBufferOptions;
import io.bpf4j.api.events.PerfBufferReader;
import io.bpf4j.api.events.RingBufferReader;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j events MAP}: streams a {@code RINGBUF} or {@code PERF_EVENT_ARRAY} map's records
 * as JSON lines, one object per record ({@code {"cpu":1,"length":8,"data":"2a00..."}}, the CPU
 * only for perf buffers) and one per loss report ({@code {"lost":3,"cpu":0}}), until
 * interrupted, {@code --count} records or {@code --seconds}.
 *
 * <p>A perf buffer reader stores its own per-CPU events in the array, replacing what another
 * reader stored there; a ring buffer has one consumer position, so two readers of one ring
 * share its records instead of both seeing each.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = {"Stream a RINGBUF or PERF_EVENT_ARRAY map's records as JSON lines until interrupted.",
                "Each record: {\"cpu\":N,\"length\":N,\"data\":\"HEX\"} (cpu for perf buffers only);"
                        + " each loss report: {\"lost\":N,\"cpu\":N}."})
final class EventsCommand implements Callable<Integer> {
    /** The longest one wait lasts, so {@code --seconds} and an interrupt are noticed promptly. */
    private static final Duration SLICE = Duration.ofMillis(200);

    @Parameters(paramLabel = "MAP", description = "A pinned map's path (on bpffs), or a map id.")
    String map;

    @Option(names = "--backend", paramLabel = "NAME", description = "Use this backend (linux, windows, sim).")
    String backend;

    @Option(names = "--sim-state", paramLabel = "FILE", description = SimSession.OPTION)
    java.nio.file.Path simState;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N records (default: never).")
    long count;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: never).")
    double seconds;

    @Option(names = "--pages", paramLabel = "N", description = "Perf buffers: pages per CPU, a power of two (default: "
            + "16).")
    int pages = PerfBufferOptions.DEFAULTS.pagesPerCpu();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter out;
    private long seen;
    /** The reader, closed from its own handler at {@code --count} so no record is consumed unprinted. */
    private AutoCloseable reader;

    @Override
    public Integer call() {
        if (count < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--count: " + count + " is negative");
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds: " + seconds + " is negative");
        }
        return SimSession.run(spec, simState, backend, () -> ObjectCommand.guarded(spec, () -> {
            out = spec.commandLine().getOut();
            BackendChoice choice = BackendChoice.open(backend);
            try (Bpf bpf = choice.bpf(); BpfMap m = open(bpf)) {
                if (choice.notice() != null) spec.commandLine().getErr().println("bpf4j: " + choice.notice());
                return stream(m);
            }
        }));
    }

    private BpfMap open(Bpf bpf) {
        return MapElemCommands.open(bpf, map);
    }

    private int stream(BpfMap m) {
        MapType t = m.type();
        long deadline = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + (long) (seconds * 1e9);
        // Ctrl-C runs the shutdown hooks while this thread polls: the hook closes the reader,
        // which wakes the poll, and waits until the loop below has flushed what it printed.
        if (t == MapType.RINGBUF) {
            try (RingBufferReader r = m.ringBufferReader(this::print)) {
                drain(r, r::isClosed, r::poll, deadline);
            }
        } else if (t == MapType.PERF_EVENT_ARRAY) {
            PerfBufferOptions o = PerfBufferOptions.DEFAULTS.withPagesPerCpu(pages);
            try (PerfBufferReader r = m.perfBufferReader(o, this::print, this::lost)) {
                drain(r, r::isClosed, r::poll, deadline);
            }
        } else {
            throw new IllegalArgumentException("MAP: " + map + " is a " + t + " map, not RINGBUF or PERF_EVENT_ARRAY");
        }
        return 0;
    }

    /** Polls until the count, the deadline or a close (from the handler at the count, or from Ctrl-C). */
    private void drain(AutoCloseable r, java.util.function.BooleanSupplier closed, java.util.function.ToIntFunction<Duration> poll,
            long deadline) {
        reader = r;
        // Ctrl-C runs the shutdown hooks while this thread polls: the hook closes the reader,
        // which wakes the poll, and waits until the loop below has flushed what it printed.
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = onInterrupt(r, done);
        try {
            while (!closed.getAsBoolean() && more(deadline)) poll.applyAsInt(slice(deadline));
        } catch (IllegalStateException e) {
            if (!closed.getAsBoolean()) throw e;
        } finally {
            finish(hook, done);
        }
    }

    private boolean more(long deadline) {
        return (count == 0 || seen < count) && System.nanoTime() < deadline;
    }

    private static Duration slice(long deadline) {
        long left = deadline - System.nanoTime();
        return left < SLICE.toNanos() ? Duration.ofNanos(Math.max(left, 0)) : SLICE;
    }

    private Thread onInterrupt(AutoCloseable reader, CountDownLatch done) {
        Thread hook = new Thread(() -> {
            try {
                reader.close();
                done.await();
            } catch (Exception ignored) {
                // Exiting anyway: nothing to report to.
            }
        }, "bpf4j-events-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private void finish(Thread hook, CountDownLatch done) {
        out.flush();
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running: it waited for the flush above.
        }
    }

    private void print(EventRecord r) {
        seen++;
        StringBuilder sb = new StringBuilder(32 + 2 * r.length()).append('{');
        if (r.cpu() >= 0) sb.append("\"cpu\":").append(r.cpu()).append(',');
        sb.append("\"length\":").append(r.length()).append(",\"data\":\"");
        for (int i = 0; i < r.length(); i++) {
            int b = r.getByte(i) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        out.println(sb.append("\"}"));
        out.flush();
        // Closing from the handler ends the pass after this record: the rest stay in the ring
        // for the next reader.
        if (count != 0 && seen >= count) {
            try {
                reader.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void lost(int cpu, long n) {
        out.println("{\"lost\":" + n + ",\"cpu\":" + cpu + "}");
        out.flush();
    }
}
