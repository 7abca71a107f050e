package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files whole: sizes around the 8 KiB pieces, empty files, files whose reported size is 0. */
class BtfReadFileTest {
    @TempDir
    Path dir;

    @Test
    void wholeFilesOfEverySizeAroundThePieces() throws Exception {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 8191, 8192, 8193, 100_000}) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            Path f = dir.resolve("f" + size);
            Files.write(f, b);
            assertArrayEquals(b, Btf.readFile(f), "size " + size);
        }
    }

    @Test
    void filesThatReportNoSizeAreReadToTheirEnd() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) return;
        assertEquals(0, Files.size(status), "procfs reports size 0");
        String text = new String(Btf.readFile(status));
        assertTrue(text.startsWith("Name:") && text.contains("\nPid:"), text);
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Btf.readFile(dir.resolve("absent")));
        assertThrows(NoSuchFileException.class, () -> Btf.read(dir.resolve("absent")));
    }

    @Test
    void builtBtfReadsBackFromAFile() throws Exception {
        Path f = dir.resolve("t.btf");
        Files.write(f, AllKinds.hand().bytes());
        assertEquals(AllKinds.TYPES, Btf.read(f).types().collect(Collectors.toList()));
    }
}
