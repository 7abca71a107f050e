package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfParam;
import io.bpf4j.api.btf.BtfType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bpf4j btf dump} and {@code btf find} on a BTF file built here, and on the kernel's. */
class BtfCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path file() throws Exception {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        int s = b.addStruct("point", 8, List.of(new BtfMember("x", i, 0, 0), new BtfMember("y", i, 32, 0)));
        b.addEnum("colour", 4, false, List.of(new BtfEnumValue("RED", 1)));
        b.addFunc("point", b.addFuncProto(i, List.of(new BtfParam("p", b.addPtr(s)))), BtfLinkage.GLOBAL);
        Path f = dir.resolve("t.btf");
        Files.write(f, b.marshal());
        return f;
    }

    @Test
    void dumpFileRawIsBpftoolsFormat() throws Exception {
        CliRun r = run("btf", "dump", file().toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
                "[2] STRUCT 'point' size=8 vlen=2",
                "\t'x' type_id=1 bits_offset=0",
                "\t'y' type_id=1 bits_offset=32",
                "[3] ENUM 'colour' encoding=UNSIGNED size=4 vlen=1",
                "\t'RED' val=1",
                "[4] PTR '(anon)' type_id=2",
                "[5] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1",
                "\t'p' type_id=4",
                "[6] FUNC 'point' type_id=5 linkage=global") + "\n", r.out());
        assertEquals(r.out(), run("btf", "dump", "--file", file().toString(), "--raw").out());
        // C: the declarations; the pointer and the prototype appear where they are used.
        assertEquals(String.join("\n", "/* [1] INT */", "int;", "/* [2] STRUCT */", "struct point {", "\tint x;", "\tint y;", "};",
                "/* [3] ENUM */", "enum colour {", "\tRED = 1,", "};", "/* [6] FUNC */", "int point(struct point *p);") + "\n",
                run("btf", "dump", file().toString(), "--c").out());
        assertEquals("/* [4] PTR */\nstruct point *;\n", run("btf", "dump", file().toString(), "--c", "--id", "4").out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void dumpJsonIsValidAndComplete() throws Exception {
        CliRun r = run("btf", "dump", file().toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.out().trim());
        List<Object> types = (List<Object>) doc.get("types");
        assertEquals(6, types.size());
        Map<String, Object> point = (Map<String, Object>) types.get(1);
        assertEquals("STRUCT", point.get("kind"));
        assertEquals("point", point.get("name"));
        List<Object> members = (List<Object>) point.get("members");
        assertEquals("y", ((Map<String, Object>) members.get(1)).get("name"));
        assertEquals("(anon)", ((Map<String, Object>) types.get(3)).get("name"));
    }

    @Test
    void findByNameAndKind() throws Exception {
        String f = file().toString();
        CliRun both = run("btf", "find", "point", "--file", f);
        assertEquals(0, both.code(), both.err());
        assertTrue(both.out().startsWith("[2] STRUCT 'point'") && both.out().contains("\n[6] FUNC 'point'"), both.out());
        CliRun c = run("btf", "find", "point", "--kind", "struct", "--file", f, "--c");
        assertEquals("/* [2] STRUCT */\nstruct point {\n\tint x;\n\tint y;\n};\n", c.out());
        CliRun func = run("btf", "find", "point", "--kind", "FUNC", "--file", f, "--c");
        assertEquals("/* [6] FUNC */\nint point(struct point *p);\n", func.out());
        CliRun none = run("btf", "find", "nothing", "--file", f);
        assertEquals(1, none.code());
        assertTrue(none.err().contains("no type named 'nothing'"), none.err());
        CliRun badKind = run("btf", "find", "point", "--kind", "bogus", "--file", f);
        assertEquals(2, badKind.code());
        assertTrue(badKind.err().contains("--kind: no kind 'bogus'"), badKind.err());
    }

    @Test
    void badInputSaysWhatAndWhere() throws Exception {
        Path f = dir.resolve("bad.btf");
        byte[] blob = Files.readAllBytes(file());
        blob[0] = 0;
        Files.write(f, blob);
        CliRun r = run("btf", "dump", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("bad BTF: at byte 0: magic 0xeb00 is not 0xeb9f"), r.err());
        CliRun missing = run("btf", "dump", dir.resolve("absent").toString());
        assertEquals(1, missing.code());
        CliRun two = run("btf", "dump", f.toString(), "--kernel");
        assertEquals(2, two.code());
    }

    @Test
    void kernelBtf() {
        assumeTrue(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "the kernel publishes no BTF");
        CliRun r = run("btf", "find", "list_head", "--kind", "struct", "--c");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().endsWith("struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};\n"), r.out());
        CliRun mod = run("btf", "dump", "--module", "no_such_module_here");
        assertEquals(1, mod.code());
        assertTrue(mod.err().contains("no such module with BTF"), mod.err());
    }
}
