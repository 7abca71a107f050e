package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A BPF object compiled by clang ({@code core_prog.c} and {@code core_prog.o} beside this test's
 * resources, with how to rebuild them): its {@code .BTF} against bpftool, and its {@code .BTF.ext}
 * against the source it was compiled from and the instructions {@code llvm-objdump -d} shows.
 */
class BtfObjectTest {

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BtfObjectTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    private static Btf btf() throws IOException {
        return Btf.parse(ElfSections.section(resource("core_prog.o"), ".BTF"));
    }

    @Test
    void objectBtfHasTheSourcesTypes() throws IOException {
        Btf btf = btf();
        BtfType.Struct task = btf.find("task", BtfType.Struct.class).orElseThrow();
        assertEquals(List.of("pid", "tgid", "bits", "comm"), task.members().stream().map(BtfMember::name).collect(Collectors.toList()));
        assertEquals(28, btf.sizeOf(task.id()));
        BtfType.Struct bits = btf.type(task.members().get(2).typeId(), BtfType.Struct.class);
        assertTrue(bits.kindFlag());
        assertEquals(List.of(new BtfMember("flags", bits.members().get(0).typeId(), 0, 3),
                new BtfMember("state", bits.members().get(0).typeId(), 3, 5)), bits.members());
        assertEquals(BtfLinkage.STATIC, btf.find("helper", BtfType.Func.class).orElseThrow().linkage());
        assertEquals(BtfLinkage.GLOBAL, btf.find("on_switch", BtfType.Func.class).orElseThrow().linkage());
        assertEquals("struct task {\n\tint pid;\n\tint tgid;\n\tstruct {\n\t\tu32 flags: 3;\n\t\tu32 state: 5;\n\t} bits;\n"
                + "\tchar comm[16];\n};", BtfDump.c(btf, task.id()));
        // An object's BTF round-trips like the kernel's.
        byte[] section = ElfSections.section(resource("core_prog.o"), ".BTF");
        BtfBuilder decoded = BtfBuilder.from(btf);
        assertEquals(btf.typeCount() - 1, decoded.types().size()); // every type decoded: marshal encodes them all
        assertTrue(java.util.Arrays.equals(section, decoded.marshal()), "re-encoded .BTF differs");
        assertTrue(java.util.Arrays.equals(section, BtfBuilder.from(btf).marshal()), "the blob copied untouched differs");
    }

    @Test
    void objectBtfAgreesWithBpftool() throws Exception {
        Path o = Files.createTempFile("core_prog", ".o");
        try {
            Files.write(o, resource("core_prog.o"));
            Process p;
            try {
                p = new ProcessBuilder("bpftool", "btf", "dump", "file", o.toString(), "format", "raw")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                VmlinuxBtfTest.need(false, "bpftool is not installed (apt-get install bpftool)");
                return;
            }
            String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            Btf btf = btf();
            StringBuilder ours = new StringBuilder();
            for (int id = 1; id < btf.typeCount(); id++) ours.append(BtfDump.raw(btf, id)).append('\n');
            assertEquals(theirs, ours.toString());
        } finally {
            Files.delete(o);
        }
    }

    @Test
    void funcAndLineInfoMatchTheSource() throws IOException {
        Btf btf = btf();
        BtfExt ext = BtfExt.parse(ElfSections.section(resource("core_prog.o"), ".BTF.ext"), btf);
        assertEquals(8, ext.funcInfoRecordSize());
        assertEquals(16, ext.lineInfoRecordSize());
        assertEquals(16, ext.coreReloRecordSize());
        int helper = btf.find("helper", BtfKind.FUNC).orElseThrow().id();
        int onSwitch = btf.find("on_switch", BtfKind.FUNC).orElseThrow().id();
        assertEquals(List.of(new BtfExt.FuncInfo(0, helper)), ext.funcInfos(".text"));
        assertEquals(List.of(new BtfExt.FuncInfo(0, onSwitch)), ext.funcInfos("tp/sched/sched_switch"));

        List<String> source = new String(resource("core_prog.c"), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        int checked = 0;
        for (BtfExt.Section<BtfExt.LineInfo> s : ext.lineInfos()) {
            assertFalse(s.records().isEmpty());
            for (BtfExt.LineInfo l : s.records()) {
                assertTrue(l.fileName().endsWith("core_prog.c"), l.fileName());
                // Each record's text is the source line its number names.
                assertEquals(source.get(l.lineNumber() - 1), l.line(), "line " + l.lineNumber());
                assertEquals(0, l.insnOff() % 8);
                checked++;
            }
        }
        assertTrue(checked >= 5, "line_info records: " + checked);
        assertEquals("\treturn t->tgid + 1;", ext.lineInfos(".text").get(0).line());
    }

    @Test
    void coreRelocationsAreTheBuiltinsOfTheSource() throws IOException {
        Btf btf = btf();
        BtfExt ext = BtfExt.parse(ElfSections.section(resource("core_prog.o"), ".BTF.ext"), btf);
        int task = btf.find("task", BtfKind.STRUCT).orElseThrow().id();
        int colour = btf.find("colour", BtfKind.ENUM).orElseThrow().id();
        // Instruction indexes as llvm-objdump -d shows them: helper's load of tgid, and on_switch's
        // field-exists constant (0), load of pid (4), sizeof constant (10) and enum value (14).
        assertEquals(List.of(new BtfExt.CoreRelo(0, task, off(btf, "0:1"), "0:1", CoreReloKind.FIELD_BYTE_OFFSET)),
                ext.coreRelos(".text"));
        assertEquals(List.of(
                new BtfExt.CoreRelo(0, task, off(btf, "0:2:1"), "0:2:1", CoreReloKind.FIELD_EXISTS),
                new BtfExt.CoreRelo(4 * 8, task, off(btf, "0:0"), "0:0", CoreReloKind.FIELD_BYTE_OFFSET),
                new BtfExt.CoreRelo(10 * 8, task, off(btf, "0"), "0", CoreReloKind.TYPE_SIZE),
                new BtfExt.CoreRelo(14 * 8, colour, off(btf, "1"), "1", CoreReloKind.ENUMVAL_VALUE)),
                ext.coreRelos("tp/sched/sched_switch"));
    }

    private static int off(Btf btf, String s) {
        for (int o = 0; o < btf.stringsLength(); o++) {
            if (btf.string(o).equals(s) && (o == 0 || btf.string(o - 1).isEmpty())) return o;
        }
        throw new AssertionError(s);
    }
}
