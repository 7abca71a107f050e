package io.bpf4j.cli;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BackendUnavailableException;
import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.TestRunResult;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf4j conformance-plugin}: the bpf_conformance suite's plugin protocol, for any backend.
 *
 * <p>The program arrives on standard input (or {@code --program}) as hex bytes separated by
 * spaces; the memory, if any, is the first argument in the same form. The memory becomes the
 * packet of one {@code BPF_PROG_TEST_RUN} of an XDP program, so the runner's
 * {@code --xdp_prolog} applies to every backend alike: on {@code linux} the kernel runs it, on
 * {@code sim} the simulator's interpreter.
 *
 * <p>An XDP test run returns only 32 bits, and the suite checks all 64 bits of r0. So, as the
 * suite's own Linux plugin does, the program runs as a bpf-to-bpf subprogram of a small XDP
 * wrapper that passes it the context in r1 unchanged, stores the full r0 it returns in an
 * array map and returns {@code XDP_PASS}; the plugin then reads r0 back from the map. The
 * plugin prints r0 in hex and exits 0, or prints why the program was rejected and exits 1.
 */
@Command(name = "conformance-plugin", mixinStandardHelpOptions = true,
        description = "Run one program for the bpf_conformance runner: program hex on stdin, memory hex as argument.")
final class ConformancePluginCommand implements Callable<Integer> {
    /** Test runs of XDP programs need at least an Ethernet header of data. */
    static final int MIN_DATA = 14;
    /** What the wrapper returns when the program ran. */
    private static final int XDP_PASS = 2;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MEMORY", description = "Input memory as hex bytes.")
    String memory;

    @Option(names = "--program", paramLabel = "HEX", description = "The program as hex bytes instead of stdin.")
    String program;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: as bpf4j probe picks).")
    String backend;

    @Option(names = "--debug", description = "Explain failures on standard output, as the reference plugins do.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = program;
        if (text == null) {
            text = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
        }
        byte[] code;
        byte[] mem;
        try {
            code = hex(text == null ? "" : text, "program");
            mem = hex(memory == null ? "" : memory, "memory");
        } catch (IllegalArgumentException e) {
            err.println("bpf4j: " + e.getMessage());
            return 2;
        }
        if (code.length == 0 || code.length % 8 != 0) {
            err.println("bpf4j: program: " + code.length + " bytes is not a whole number of 8-byte instructions");
            return 2;
        }
        BackendChoice choice;
        try {
            choice = BackendChoice.open(backend);
        } catch (BackendUnavailableException e) {
            err.println("bpf4j: " + e.getMessage());
            return 2;
        }
        try (Bpf bpf = choice.bpf()) {
            Long r0 = run(bpf, words(code), mem, debug ? out : err);
            if (r0 == null) return 1;
            out.println(Long.toHexString(r0));
            return 0;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Loads and runs the program; null (with the reason written) when it is rejected or fails. */
    static Long run(Bpf bpf, long[] insns, byte[] memory, PrintWriter why) {
        byte[] data = memory.length >= MIN_DATA ? memory : Arrays.copyOf(memory, MIN_DATA);
        try (BpfMap result = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, 1).withName("conformance_r0"))) {
            ProgramSpec spec = ProgramSpec.of(ProgramType.XDP, wrap(insns, result.fd()), "MIT").withName("conformance")
                    .withExpectedAttachType(AttachType.XDP);
            try (BpfProgram p = BpfProgram.load(bpf, spec)) {
                TestRunResult r = p.testRun(TestRunSpec.ofData(data));
                if (r.retval() != XDP_PASS) {
                    why.println("Failed to run program: the wrapper returned " + r.retval() + " instead of XDP_PASS");
                    return null;
                }
            }
            byte[] r0 = result.lookup(new byte[4]).orElseThrow();
            return ByteBuffer.wrap(r0).order(ByteOrder.LITTLE_ENDIAN).getLong();
        } catch (BpfException e) {
            why.println("Failed to load or run program: " + e.getMessage());
            return null;
        }
    }

    /**
     * The program as a subprogram of an XDP wrapper that keeps its full 64-bit r0.
     *
     * <p>The wrapper takes the map value's address with a {@code BPF_PSEUDO_MAP_VALUE} load
     * rather than a {@code bpf_map_lookup_elem} call, so it needs no stack of its own: the
     * kernel counts the stack of every frame of a call chain against one 512-byte limit, and the
     * program may use all of it. r6 is callee-saved, so the address survives the call. The
     * program's jumps and local calls are relative, so appending it unchanged keeps them right.
     */
    static long[] wrap(long[] insns, int resultMapFd) {
        Asm a = new Asm()
                .ldMapValue(Register.R6, resultMapFd, 0)
                .callLocal("program")
                .stxdw(Register.R6, 0, Register.R0)
                .mov64(Register.R0, XDP_PASS)
                .exit()
                .label("program");
        for (long w : insns) a.word(w);
        return a.toArray();
    }

    static byte[] hex(String text, String what) {
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1 && parts[0].isEmpty()) return new byte[0];
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                int v = Integer.parseInt(parts[i], 16);
                if (v < 0 || v > 0xff) throw new NumberFormatException();
                out[i] = (byte) v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": \"" + parts[i] + "\" at byte " + i + " is not a hex byte");
            }
        }
        return out;
    }

    static long[] words(byte[] code) {
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        long[] w = new long[code.length / 8];
        for (int i = 0; i < w.length; i++) w[i] = b.getLong();
        return w;
    }
}
