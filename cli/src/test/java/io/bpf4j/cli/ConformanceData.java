package io.bpf4j.cli;

import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Register;
import io.bpf4j.api.asm.TextAssembler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The bpf_conformance suite's test files, as the official runner feeds them to a plugin.
 *
 * <p>The files are outside data: they are looked for where {@code -Dbpf4j.conformance.dir}
 * or {@code BPF4J_CONFORMANCE_DIR} says, then in {@code shared/conformance} beside the working
 * directory or one of its parents (where {@code it}'s conformance test looks too).
 */
final class ConformanceData {
    private ConformanceData() {
    }

    /** One test file: the program, its input memory and the expected 64-bit r0. */
    record Case(String name, long[] program, byte[] memory, long expected) {
    }

    /** The directory of {@code .data} files, or null when there is none here. */
    static Path directory() {
        List<Path> candidates = candidates();
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("tests"))) return p.resolve("tests");
            if (isTestsDir(p)) return p;
        }
        return null;
    }

    /** Why {@link #directory()} found nothing, for a skip message. */
    static String whereLooked() {
        return "conformance tests not found; looked in " + candidates()
                + " (set -Dbpf4j.conformance.dir or BPF4J_CONFORMANCE_DIR to the suite's tests directory)";
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String property = System.getProperty("bpf4j.conformance.dir");
        if (property != null && !property.isBlank()) out.add(Paths.get(property));
        String env = System.getenv("BPF4J_CONFORMANCE_DIR");
        if (env != null && !env.isBlank()) out.add(Paths.get(env));
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            out.add(dir.resolve("shared/conformance"));
            out.add(dir.resolve("../shared/conformance").normalize());
        }
        return out;
    }

    private static boolean isTestsDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.anyMatch(f -> f.toString().endsWith(".data"));
        } catch (IOException e) {
            return false;
        }
    }

    static List<Case> all(Path dir) throws IOException {
        List<Case> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".data")).sorted()::iterator) out.add(parse(p));
        }
        return out;
    }

    static Case parse(Path path) throws IOException {
        StringBuilder asm = new StringBuilder();
        StringBuilder mem = new StringBuilder();
        StringBuilder result = new StringBuilder();
        String section = "";
        for (String line : Files.readAllLines(path)) {
            if (line.startsWith("-- ")) {
                section = line.substring(3).strip();
                continue;
            }
            String data = line.strip();
            if (data.startsWith("#")) continue;
            switch (section) {
                case "asm" -> asm.append(line).append('\n');
                case "mem" -> mem.append(' ').append(data);
                case "result" -> result.append(data);
                default -> {
                }
            }
        }
        String name = path.getFileName().toString();
        if (result.length() == 0) throw new IllegalArgumentException(name + " has no -- result");
        byte[] memory = ConformancePluginCommand.hex(mem.toString(), "memory");
        long expected = Long.parseUnsignedLong(result.toString().replaceFirst("^0[xX]", ""), 16);
        return new Case(name, TextAssembler.assemble(asm.toString()), memory, expected);
    }

    /**
     * The program as the runner sends it with {@code --xdp_prolog true}: a prolog that turns the
     * XDP context into the suite's registers (r1 = the memory, r2 = its length; both 0 without
     * memory), checking the packet is long enough first because the verifier demands it.
     */
    static long[] withXdpProlog(long[] program, int memoryLength) {
        Asm a = new Asm();
        if (memoryLength == 0) {
            a.mov64(Register.R1, 0).mov64(Register.R2, 0);
        } else {
            a.ldxw(Register.R2, Register.R1, 4)          // xdp_md.data_end
                    .ldxw(Register.R1, Register.R1, 0)   // xdp_md.data
                    .mov64(Register.R3, Register.R1)
                    .add64(Register.R3, memoryLength)
                    .jle(Register.R3, Register.R2, "fits")
                    .mov64(Register.R0, 0)
                    .exit()
                    .label("fits")
                    .mov64(Register.R2, memoryLength)
                    .mov64(Register.R3, 0);
        }
        for (long w : program) a.word(w);
        return a.toArray();
    }

    /** The protocol's hex form: each byte as two hex digits, separated by spaces. */
    static String hex(long[] words) {
        StringJoiner j = new StringJoiner(" ");
        for (long w : words) {
            for (int i = 0; i < 8; i++) j.add(String.format("%02x", (w >>> (8 * i)) & 0xff));
        }
        return j.toString();
    }

    static String hex(byte[] bytes) {
        StringJoiner j = new StringJoiner(" ");
        for (byte b : bytes) j.add(String.format("%02x", b & 0xff));
        return j.toString();
    }
}
