package io.bpf4j.it.btf;

import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * libbpf as the CO-RE oracle: src/test/resources/btf/core_oracle.c, built with gcc against the
 * system's libbpf, loads an object with a custom target BTF and prints the instructions libbpf
 * relocated (or the relocation it failed on), for the whole object and for each program alone.
 */
final class CoreOracle {
    /**
     * One load of the object by libbpf.
     *
     * @param name the program loaded alone, or {@code *} for all of them
     * @param version libbpf's version
     * @param programs each loaded program's instructions after relocation, when it succeeded
     * @param error libbpf's negative error number, 0 when relocation succeeded
     * @param log libbpf's warnings
     */
    record Run(String name, String version, Map<String, long[]> programs, int error, List<String> log) {
        private static final Pattern FAILED = Pattern.compile("prog '([^']+)': relo #(\\d+): failed to (relocate|patch insn)");

        boolean ok() {
            return error == 0;
        }

        /** The program and relocation index libbpf failed on, from its log; null when the log names none. */
        String[] failure() {
            for (String l : log) {
                Matcher m = FAILED.matcher(l);
                if (m.find()) return new String[] {m.group(1), m.group(2)};
            }
            return null;
        }
    }

    private final Path exe;

    private CoreOracle(Path exe) {
        this.exe = exe;
    }

    /** Builds the harness in {@code dir}; needs gcc and libbpf-dev (skipped without them, failed in CI). */
    static CoreOracle build(Path dir) throws IOException {
        Need.tool("gcc");
        Need.path(Path.of("/usr/include/bpf/libbpf.h"), "libbpf's headers and library (libbpf-dev)");
        Path src = dir.resolve("core_oracle.c");
        try (InputStream in = CoreOracle.class.getResourceAsStream("/btf/core_oracle.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve("core_oracle");
        Commands.run("gcc", "-O1", "-Wall", "-o", exe.toString(), src.toString(), "-lbpf");
        return new CoreOracle(exe);
    }

    /** libbpf's relocation of the object against the target: the run with every program, then one per program. */
    Map<String, Run> run(Path object, Path target) {
        Commands.Result r = Commands.exec(exe.toString(), object.toString(), target.toString());
        if (r.code() != 0) throw new IllegalStateException("core_oracle " + object + " " + target + " failed: " + r.out());
        Map<String, Run> runs = new LinkedHashMap<>();
        String[] lines = r.out().split("\n");
        String name = null;
        String version = "?";
        Map<String, long[]> progs = null;
        List<String> log = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("version ")) {
                version = l.substring(8);
            } else if (l.startsWith("run ")) {
                name = l.substring(4);
                progs = new LinkedHashMap<>();
                log = new ArrayList<>();
            } else if (l.startsWith("prog ")) {
                String[] f = l.split(" ");
                long[] insns = new long[Integer.parseInt(f[2])];
                for (int k = 0; k < insns.length; k++) insns[k] = Long.parseUnsignedLong(lines[++i], 16);
                progs.put(f[1], insns);
            } else if (l.startsWith("log ")) {
                log.add(l.substring(4));
            } else if (l.startsWith("result ")) {
                int error = l.equals("result ok") ? 0 : Integer.parseInt(l.substring("result error ".length()));
                if (!l.equals("result ok") && error == 0) throw new IllegalStateException("libbpf loaded nothing: " + r.out());
                runs.put(name, new Run(name, version, progs, error, log));
            } else if (!l.isBlank()) {
                throw new IllegalStateException("core_oracle printed an unexpected line: " + l + "\n" + r.out());
            }
        }
        return runs;
    }
}
