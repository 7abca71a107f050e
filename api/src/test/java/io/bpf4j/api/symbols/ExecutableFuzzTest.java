package io.bpf4j.api.symbols;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt executables: truncated at every header boundary and with random bytes changed, each
 * must open or be refused with {@link IllegalArgumentException}, never another exception, a hang
 * or a large allocation. Seeds are fixed so a failure repeats.
 */
class ExecutableFuzzTest {
    private static int outcome(Path f, byte[] bytes) throws IOException {
        Files.write(f, bytes);
        try {
            Executable e = Executable.open(f);
            for (UsdtProbe p : e.usdtProbes()) {
                try {
                    p.arguments();
                } catch (IllegalArgumentException refused) {
                    // A corrupt argument text is refused when asked for.
                }
            }
            for (String s : List.of("bpf4j_probe_me", "vers", "vers@V1", "twin", "bpf4j_app_work")) {
                try {
                    e.offset(s);
                } catch (IllegalArgumentException refused) {
                    // Gone or changed by the corruption.
                }
            }
            return 0;
        } catch (IllegalArgumentException refused) {
            return 1;
        }
    }

    @Test
    void truncatedAndCorruptedFilesAreRefusedCleanly(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("fuzz");
        int refused = 0;
        int runs = 0;
        for (String name : List.of("libsyms.so", "usdt_app_pie", "usdt_app_nopie")) {
            byte[] good = Files.readAllBytes(ExecutableTest.fixture(name));
            for (int len : new int[] {0, 3, 15, 16, 40, 51, 63, 64, 100, 0x40 + 56, 1000, good.length / 2, good.length - 1}) {
                refused += outcome(f, Arrays.copyOf(good, Math.min(len, good.length)));
                runs++;
            }
            Random r = new Random(name.hashCode());
            for (int i = 0; i < 500; i++) {
                byte[] b = good.clone();
                int changes = 1 + r.nextInt(8);
                for (int c = 0; c < changes; c++) {
                    // Mostly the headers and tables, where a change matters most.
                    int at = r.nextBoolean() ? r.nextInt(Math.min(256, b.length)) : r.nextInt(b.length);
                    b[at] = (byte) r.nextInt(256);
                }
                refused += outcome(f, b);
                runs++;
            }
        }
        assertTrue(refused > 0 && refused < runs, refused + " of " + runs + " refused: the corruptions must reach both outcomes");
    }
}
