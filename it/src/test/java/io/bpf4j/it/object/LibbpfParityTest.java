package io.bpf4j.it.object;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.MapInfo;
import io.bpf4j.api.ProgramInfo;
import io.bpf4j.api.object.BpfCollection;
import io.bpf4j.api.object.LoadOptions;
import io.bpf4j.it.LinuxKernel;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.LeakCheck;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The maps and programs bpf4j makes for an object are the ones libbpf makes for it: a small C
 * program (built here with gcc against the system's libbpf) loads the object with
 * {@code bpf_object__load} and prints what the kernel reports of each map and program; bpf4j
 * loads the same object and prints the same. Names, types, sizes, capacities, flags, BTF type
 * ids, program tags (a hash of the instructions as loaded, map descriptors left out) and
 * translated lengths must all be equal. (legacy_maps.o is left out: libbpf 1.x no longer reads
 * the {@code maps} section.)
 */
@ExtendWith(LeakCheck.class)
class LibbpfParityTest {
    private static Path dir;
    private static Path tool;

    /** Why this machine cannot run the comparison, or null (see {@link Need#inBeforeAll}). */
    private static String skip;

    @BeforeAll
    static void build() throws Exception {
        skip = Need.inBeforeAll(() -> {
            LinuxKernel.require();
            Need.tool("gcc");
            Need.path(Path.of("/usr/include/bpf/libbpf.h"), "libbpf's headers and library (libbpf-dev)");
        });
        if (skip != null) return;
        dir = Files.createTempDirectory("bpf4j-libbpf");
        Path src = dir.resolve("libbpf_object_info.c");
        try (InputStream in = LibbpfParityTest.class.getResourceAsStream("/object/libbpf_object_info.c")) {
            Files.write(src, in.readAllBytes());
        }
        tool = dir.resolve("libbpf_object_info");
        Commands.run("gcc", "-O1", "-o", tool.toString(), src.toString(), "-lbpf");
    }

    @AfterAll
    static void clean() throws IOException {
        if (dir != null) Host.deleteTree(dir);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"global_data.o", "subprogs.o", "btf_maps.o", "tracepoint.o", "btf_tracing.o",
            "map_slots.o", "callbacks.o", "core.o", "kconfig.o"})
    void bpf4jMakesWhatLibbpfMakes(String object) throws IOException {
        Need.still(skip);
        Need.bpffs();
        Path file = dir.resolve(object);
        try (InputStream in = LibbpfParityTest.class.getResourceAsStream("/objects/" + object)) {
            Files.write(file, in.readAllBytes());
        }
        Path pins = Path.of("/sys/fs/bpf", Host.fresh("lp"));
        Files.createDirectories(pins);
        try {
            List<String> libbpf = new ArrayList<>(List.of(Commands.run(tool.toString(), file.toString(), pins.toString())
                    .strip().split("\n")));
            Host.deleteTree(pins);
            Files.createDirectories(pins);
            List<String> bpf4j = new ArrayList<>();
            try (Bpf bpf = LinuxKernel.open();
                    BpfCollection obj = Corpus.spec(object).load(bpf, LoadOptions.defaults().withPinRoot(pins.toString()))) {
                for (BpfMap m : obj.maps().values()) {
                    MapInfo i = m.info();
                    bpf4j.add(String.format("map %s type=%d key=%d value=%d max=%d flags=0x%x btf_key=%d btf_value=%d extra=%d",
                            i.name(), i.rawType(), i.keySize(), i.valueSize(), i.maxEntries(), i.flags(), i.btfKeyTypeId(),
                            i.btfValueTypeId(), i.mapExtra()));
                }
                for (BpfProgram p : obj.programs().values()) {
                    ProgramInfo i = p.info();
                    bpf4j.add(String.format("prog %s type=%d tag=%s xlated=%d", i.name(), i.rawType(), i.tag(), i.xlatedSize()));
                }
            }
            libbpf.sort(null);
            bpf4j.sort(null);
            assertEquals(String.join("\n", libbpf), String.join("\n", bpf4j), object + ": libbpf (expected) and bpf4j");
        } finally {
            Host.deleteTree(pins);
        }
    }
}
