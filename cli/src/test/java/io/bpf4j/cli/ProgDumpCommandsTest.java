package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.api.asm.Register;
import io.bpf4j.testsupport.Commands;
import io.bpf4j.testsupport.Host;
import io.bpf4j.testsupport.Need;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bpf4j prog dump xlated|jited} and {@code show pinned PATH}, held to bpftool's view of the
 * same program on the kernel (instruction count, each instruction's bytes, map ids, call targets,
 * the JIT image's size), and on the simulator.
 */
class ProgDumpCommandsTest {
    /** Looks a key up in a hash map, loads a value address of an array, returns XDP_PASS. */
    private static long[] program(BpfMap hash, BpfMap array) {
        return new Asm().stw(Register.R10, -4, 0).mov64(Register.R2, Register.R10).add64(Register.R2, -4)
                .ldMapFd(Register.R1, hash.fd()).call(Helper.MAP_LOOKUP_ELEM).ldMapValue(Register.R3, array.fd(), 4)
                .mov64(Register.R0, 2).exit().toArray();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> array(String json) {
        return (List<Map<String, Object>>) MiniJson.parse(json);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) {
        return (Map<String, Object>) MiniJson.parse(json);
    }

    /** bpftool's opcodes object as the instruction's bytes in hex: code, dst and src in one byte, off, imm (12 bytes for ld_imm64). */
    @SuppressWarnings("unchecked")
    private static String bytes(Map<String, Object> opcodes) {
        int code = Integer.decode((String) opcodes.get("code"));
        int regs = Integer.decode((String) opcodes.get("src_reg")) << 4 | Integer.decode((String) opcodes.get("dst_reg"));
        StringBuilder sb = new StringBuilder(String.format("%02x %02x", code, regs));
        for (String k : List.of("off", "imm")) {
            for (Object b : (List<Object>) opcodes.get(k)) sb.append(' ').append(((String) b).substring(2));
        }
        return sb.toString();
    }

    private static List<String> hexLines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.strip().matches("([0-9a-f]{2} )*[0-9a-f]{2}")) out.add(l.strip());
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void dumpsAgreeWithBpftool() throws Exception {
        KernelHere.assumeBackend("linux");
        Need.tool("bpftool");
        Path progPin = Path.of("/sys/fs/bpf", Host.fresh("cli-dump-prog"));
        Path mapPin = Path.of("/sys/fs/bpf", Host.fresh("cli-dump-map"));
        Path linkPin = Path.of("/sys/fs/bpf", Host.fresh("cli-dump-link"));
        try (Bpf bpf = Bpf.open("linux");
                BpfMap hash = BpfMap.create(bpf, MapSpec.of(MapType.HASH, 4, 8, 4).withName("cli_dump_hash"));
                BpfMap arr = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 16, 1).withName("cli_dump_arr"));
                BpfProgram prog = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, program(hash, arr), "GPL").withName("cli_dump"))) {
            String id = Integer.toString(prog.info().id());
            int hashId = hash.info().id();
            int arrId = arr.info().id();
            prog.pin(progPin.toString());
            hash.pin(mapPin.toString());

            // Every instruction, in order, with the same bytes as bpftool's.
            CliRun r = CliRun.of("prog", "dump", "xlated", id, "--json", "--opcodes", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            List<Map<String, Object>> ours = array(r.out());
            List<Map<String, Object>> theirs = array(Commands.run("bpftool", "-j", "prog", "dump", "xlated", "id", id, "opcodes"));
            assertEquals(theirs.size(), ours.size(), "instructions");
            for (int i = 0; i < ours.size(); i++) {
                assertEquals(bytes((Map<String, Object>) theirs.get(i).get("opcodes")), ours.get(i).get("opcodes"), "instruction " + i);
            }
            // Maps by name with their ids, the call by the kernel function bpftool names.
            String text = CliRun.of("prog", "dump", "xlated", id, "--backend", "linux").out();
            assertTrue(text.contains(": lddw %r1, map[cli_dump_hash] ; id " + hashId + "\n"), text);
            assertTrue(text.contains(": lddw %r3, map[cli_dump_arr]+4 ; id " + arrId + "\n"), text);
            String bpftoolText = Commands.run("bpftool", "prog", "dump", "xlated", "id", id);
            assertTrue(bpftoolText.contains("map[id:" + hashId + "]"), bpftoolText);
            Matcher call = Pattern.compile("call ([A-Za-z0-9_.]+)#").matcher(bpftoolText);
            assertTrue(call.find(), bpftoolText);
            assertTrue(text.contains(": call " + call.group(1) + "\n"), text + " lacks the call bpftool shows: " + call.group());
            // --opcodes: the bytes under each line, as bpftool prints them.
            String withOpcodes = CliRun.of("prog", "dump", "xlated", "pinned", progPin.toString(), "--opcodes", "--backend", "linux").out();
            assertEquals(hexLines(Commands.run("bpftool", "prog", "dump", "xlated", "id", id, "opcodes")), hexLines(withOpcodes));
            assertEquals(text, CliRun.of("prog", "dump", "xlated", "pinned", progPin.toString(), "--backend", "linux").out());

            // The JIT image: bpftool here has no disassembler to print it, so its size is what both must agree on.
            r = CliRun.of("prog", "dump", "jited", "pinned", progPin.toString(), "--json", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> jited = object(r.out());
            long size = ((Number) object(Commands.run("bpftool", "-j", "prog", "show", "id", id)).get("bytes_jited")).longValue();
            assertTrue(size > 0, "the kernel JITs here");
            assertEquals(size, ((Number) jited.get("bytes_jited")).longValue());
            assertEquals(size * 2, ((String) jited.get("image")).length());
            String hexText = CliRun.of("prog", "dump", "jited", id, "--backend", "linux").out();
            List<String> rows = List.of(hexText.split("\n"));
            assertEquals((size + 15) / 16, rows.size());
            assertTrue(rows.get(0).startsWith("0000: "), hexText);
            assertEquals(jited.get("image"), String.join("", rows.stream().map(l -> l.substring(6).replace(" ", "")).toList()));

            // show by pin path: the same objects as by id.
            r = CliRun.of("prog", "show", "pinned", progPin.toString(), "--json", "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            assertEquals(prog.info().id(), ((Number) object(r.out()).get("id")).intValue());
            assertEquals(((Number) object(Commands.run("bpftool", "-j", "map", "show", "pinned", mapPin.toString())).get("id")).intValue(),
                    ((Number) object(CliRun.of("map", "show", "pinned", mapPin.toString(), "--json", "--backend", "linux").out()).get("id"))
                            .intValue());
            try (BpfLink link = prog.attachXdp("lo", XdpMode.GENERIC)) {
                link.pin(linkPin.toString());
                r = CliRun.of("link", "show", "pinned", linkPin.toString(), "--json", "--backend", "linux");
                assertEquals(0, r.code(), r.err());
                assertEquals(link.info().id(), ((Number) object(r.out()).get("id")).intValue());
            }

            // A local call: bpftool's pc+N is our +N.
            try (BpfProgram local = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.XDP, new Asm().callLocal("f").exit().label("f")
                    .mov64(Register.R0, 2).exit().toArray(), "GPL"))) {
                String lid = Integer.toString(local.info().id());
                Matcher m = Pattern.compile("call pc([+-][0-9]+)#").matcher(Commands.run("bpftool", "prog", "dump", "xlated", "id", lid));
                assertTrue(m.find(), "bpftool shows the local call");
                String ourText = CliRun.of("prog", "dump", "xlated", lid, "--backend", "linux").out();
                assertTrue(ourText.startsWith("   0: call local " + m.group(1) + " ; subprog 1\n"), ourText);
            }

            // What is wrong is named.
            r = CliRun.of("prog", "show", "pinned", mapPin.toString(), "--backend", "linux");
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("PATH: " + mapPin + " is not a program"), r.err());
            r = CliRun.of("prog", "dump", "xlated", "pinned", mapPin.toString(), "--backend", "linux");
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains("is not a program"), r.err());
            r = CliRun.of("prog", "dump", "xlated", "pinned", "/sys/fs/bpf/bpf4j-absent-pin", "--backend", "linux");
            assertEquals(1, r.code(), r.out());
            assertTrue(r.err().contains("ENOENT"), r.err());
            assertEquals(2, CliRun.of("prog", "dump", "xlated", "pinned", "--backend", "linux").code(), "no path");
            assertEquals(2, CliRun.of("prog", "dump", "jited", "0", "--backend", "linux").code(), "no such id");
            assertEquals(2, CliRun.of("prog", "dump", "jited", "one", "--backend", "linux").code(), "not a number");
        } finally {
            Files.deleteIfExists(progPin);
            Files.deleteIfExists(mapPin);
            Files.deleteIfExists(linkPin);
        }
    }

    /** The map names a listing refers to, in order. */
    private static List<String> mapRefs(String listing) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(", map\\[([^\\]]+)\\]").matcher(listing);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /**
     * A simulator session dumps a loaded object's program with its maps by name, in the order the
     * kernel's dump of the same object refers to them; it has no JIT; and a dump is a read, so the
     * session does not journal it.
     */
    @Test
    void aSimulatorSessionDumpsWhatTheKernelDumps(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String state = tmp.resolve("session").toString();
        String obj = MapDumpTest.object("btf_maps.o");
        CliRun r = CliRun.of("object", "load", obj, "--pin", "/sys/fs/bpf/agent", "--sim-state", state);
        assertEquals(0, r.code(), r.err());
        r = CliRun.of("prog", "dump", "xlated", "pinned", "/sys/fs/bpf/agent/use_btf_maps", "--sim-state", state);
        assertEquals(0, r.code(), r.err());
        String sim = r.out();
        assertTrue(sim.contains(": call bpf_map_lookup_elem\n"), sim);
        assertEquals(List.of("verdicts", "by_length", "by_length", "per_cpu", "totals", "events"), mapRefs(sim));
        r = CliRun.of("prog", "dump", "jited", "pinned", "/sys/fs/bpf/agent/use_btf_maps", "--sim-state", state);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("no JIT"), r.err());
        r = CliRun.of("prog", "list", "--sim-state", state);
        assertTrue(r.err().contains("(1 earlier command replayed)"), "the dumps were not journaled: " + r.err());

        if (KernelHere.whyNot() != null) return; // the kernel's side needs the kernel
        Path dir = Path.of("/sys/fs/bpf", Host.fresh("cli-dump-obj"));
        try {
            r = CliRun.of("object", "load", obj, "--pin", dir.toString(), "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            r = CliRun.of("prog", "dump", "xlated", "pinned", dir.resolve("use_btf_maps").toString(), "--backend", "linux");
            assertEquals(0, r.code(), r.err());
            assertEquals(mapRefs(r.out()), mapRefs(sim), "the kernel's dump refers to the same maps in the same order");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            } catch (java.io.IOException gone) {
                // nothing was pinned
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The command's work on a simulator holding a program (the command line alone opens an empty one each time). */
    @Test
    void theSimulatorDumpsMapsByNameAndHasNoJit() throws Exception {
        try (Bpf sim = Bpf.open("sim");
                BpfMap hash = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 8, 4).withName("counts"));
                BpfMap arr = BpfMap.create(sim, MapSpec.of(MapType.ARRAY, 4, 16, 1).withName("cfg"));
                BpfProgram prog = BpfProgram.load(sim, ProgramSpec.of(ProgramType.XDP, program(hash, arr), "GPL"))) {
            ProgDumpCommands.Xlated x = new ProgDumpCommands.Xlated();
            x.target = List.of(Integer.toString(prog.info().id()));
            StringWriter out = new StringWriter();
            x.run(sim, new PrintWriter(out, true));
            assertEquals(String.join("\n", "   0: stw [%r10-4], 0", "   1: mov %r2, %r10", "   2: add %r2, -4",
                    "   3: lddw %r1, map[counts] ; id " + hash.info().id(), "   5: call bpf_map_lookup_elem",
                    "   6: lddw %r3, map[cfg]+4 ; id " + arr.info().id(), "   8: mov %r0, 2", "   9: exit", ""), out.toString());

            ProgDumpCommands.Jited j = new ProgDumpCommands.Jited();
            String path = "/sys/fs/bpf/cli-dump-" + Host.fresh("p");
            prog.pin(path);
            j.target = List.of("pinned", path);
            BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> j.run(sim, new PrintWriter(new StringWriter())));
            assertTrue(e.getMessage().contains("no JIT"), e.getMessage());

            ListCommands.ProgShow show = new ListCommands.ProgShow();
            show.shown = List.of("pinned", path);
            show.json = true;
            StringWriter shown = new StringWriter();
            show.run(sim, new PrintWriter(shown, true));
            assertEquals(prog.info().id(), ((Number) object(shown.toString()).get("id")).intValue());
        }
        CliRun r = CliRun.of("prog", "dump", "xlated", "1", "--backend", "sim");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("ENOENT"), r.err());
        r = CliRun.of("prog", "show", "pinned", "/sys/fs/bpf/bpf4j-absent-pin", "--backend", "sim");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("ENOENT"), r.err());
    }
}
