package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.testsupport.ExpectedKernel;
import io.bpf4j.testsupport.Need;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running kernel's BTF as oracle: bpftool's raw dump of every type, the blob's own bytes for
 * re-encoding, and well-known kernel types for the printer and layout.
 */
class VmlinuxBtfTest {
    private static final Path VMLINUX = KernelBtf.DIRECTORY.resolve("vmlinux");

    /** Skips with the reason, except in CI, where what is missing must be there. */
    static void need(boolean present, String reason) {
        Need.that(present, reason);
    }

    private static Btf vmlinux() {
        need(Files.isReadable(VMLINUX), VMLINUX + " is missing: the kernel was built without CONFIG_DEBUG_INFO_BTF");
        return KernelBtf.vmlinux();
    }

    /** bpftool's output, or null when bpftool is not installed. */
    private static String bpftool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bpftool");
        cmd.addAll(Arrays.asList(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bpftool did not finish");
        assertEquals(0, p.exitValue(), () -> "bpftool " + String.join(" ", args) + " failed");
        return new String(out, StandardCharsets.UTF_8);
    }

    private static final Pattern HEADER = Pattern.compile("^\\[(\\d+)\\] (\\w+) '(.*?)'", Pattern.MULTILINE);

    /** Every type's id, kind and name as bpftool prints them, then the whole text the same way. */
    private static void agree(Btf btf, String bpftool) {
        List<String[]> theirs = new ArrayList<>();
        Matcher m = HEADER.matcher(bpftool);
        while (m.find()) theirs.add(new String[] {m.group(1), m.group(2), m.group(3)});
        assertEquals(btf.typeCount() - btf.firstId(), theirs.size(), "number of types");
        for (int i = 0; i < theirs.size(); i++) {
            int id = btf.firstId() + i;
            String[] t = theirs.get(i);
            assertEquals(Integer.toString(id), t[0]);
            assertEquals(t[1], btf.kind(id).name(), "kind of [" + id + "]");
            assertEquals(t[2], BtfDump.anon(btf.name(id)), "name of [" + id + "]");
        }
        StringBuilder ours = new StringBuilder(bpftool.length());
        for (int id = btf.firstId(); id < btf.typeCount(); id++) ours.append(BtfDump.raw(btf, id)).append('\n');
        String[] a = ours.toString().split("\n");
        String[] b = bpftool.split("\n");
        for (int i = 0; i < Math.min(a.length, b.length); i++) assertEquals(b[i], a[i], "line " + (i + 1) + " of the raw dump");
        assertEquals(b.length, a.length, "lines of the raw dump");
    }

    @Test
    void bpftoolAgreesOnEveryType() throws Exception {
        Btf btf = vmlinux();
        String dump = bpftool("btf", "dump", "file", VMLINUX.toString(), "format", "raw");
        need(dump != null, "bpftool is not installed (apt-get install bpftool)");
        agree(btf, dump);
        assertTrue(btf.typeCount() > 1000, "vmlinux has thousands of types: " + btf.typeCount());
    }

    @Test
    void moduleSplitBtfAgreesWithBpftool() throws Exception {
        vmlinux();
        List<String> modules = KernelBtf.modules();
        if (!ExpectedKernel.hasModuleBtf()) {
            // The kernel is described as having none (ExpectedKernel.NO_MODULE_BTF): hold it to that, so
            // that a kernel with module BTF fails here until the description changes and the
            // comparison below runs. Split BTF itself is read in splitBtfOnTheRealVmlinux.
            assertEquals(List.of(), modules, ExpectedKernel.NO_MODULE_BTF);
            assertFalse(Files.exists(Path.of("/proc/modules")), ExpectedKernel.NO_MODULE_BTF);
            return;
        }
        assertFalse(modules.isEmpty(), "the kernel is described as having module BTF, and " + KernelBtf.DIRECTORY + " has none");
        String name = modules.get(0);
        Btf mod = KernelBtf.module(name);
        assertEquals(KernelBtf.vmlinux().typeCount(), mod.firstId());
        assertSame(KernelBtf.vmlinux(), mod.base().orElseThrow());
        agreeWithBpftool(mod, KernelBtf.DIRECTORY.resolve(name));
        assertArrayEquals(Files.readAllBytes(KernelBtf.DIRECTORY.resolve(name)), BtfBuilder.from(mod).marshal());
    }

    private static void agreeWithBpftool(Btf split, Path file) throws Exception {
        String dump = bpftool("-B", VMLINUX.toString(), "btf", "dump", "file", file.toString(), "format", "raw");
        need(dump != null, "bpftool is not installed (apt-get install bpftool)");
        agree(split, dump);
    }

    @Test
    void reEncodingIsByteIdentical() throws IOException {
        Btf btf = vmlinux();
        byte[] raw = Files.readAllBytes(VMLINUX);
        assertArrayEquals(raw, BtfBuilder.from(btf).marshal());
    }

    /**
     * The documented difference: BTF built afresh from the same types has a string section in
     * first-use order without the strings no type uses, and equal types.
     */
    @Test
    void rebuildingFromScratchChangesOnlyTheStringSection() throws IOException {
        Btf btf = vmlinux();
        BtfBuilder fresh = new BtfBuilder();
        btf.types().forEach(fresh::add);
        byte[] rebuilt = fresh.marshal();
        byte[] raw = Files.readAllBytes(VMLINUX);
        ByteBuffer a = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(rebuilt).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(a.getInt(12), b.getInt(12), "type section length");
        assertTrue(b.getInt(20) < a.getInt(20), "strings no type uses are gone: " + b.getInt(20) + " vs " + a.getInt(20));
        assertNotEquals(ByteBuffer.wrap(raw, 24, a.getInt(12)), ByteBuffer.wrap(rebuilt, 24, b.getInt(12)),
                "name offsets move with the strings");
        Btf again = Btf.parse(rebuilt);
        assertEquals(btf.typeCount(), again.typeCount());
        for (int id = 1; id < btf.typeCount(); id++) assertEquals(btf.type(id), again.type(id));
    }

    @Test
    void knownTypesPrintAsInTheKernelSources() {
        Btf btf = vmlinux();
        assertEquals("struct list_head {\n\tstruct list_head *next;\n\tstruct list_head *prev;\n};",
                BtfDump.c(btf, btf.find("list_head", BtfKind.STRUCT).orElseThrow().id()));
        assertEquals("typedef void (*rcu_callback_t)(struct callback_head *);",
                BtfDump.c(btf, btf.find("rcu_callback_t", BtfKind.TYPEDEF).orElseThrow().id()));
        assertEquals("struct callback_head {\n\tstruct callback_head *next;\n\tvoid (*func)(struct callback_head *);\n};",
                BtfDump.c(btf, btf.find("callback_head", BtfKind.STRUCT).orElseThrow().id()));
        String skb = BtfDump.c(btf, btf.find("sk_buff", BtfKind.STRUCT).orElseThrow().id());
        assertTrue(skb.startsWith("struct sk_buff {\n\tunion {\n\t\tstruct {\n\t\t\tstruct sk_buff *next;\n"), skb);
        assertTrue(skb.contains("\n\t__u8 cloned: 1;\n\t__u8 nohdr: 1;\n\t__u8 fclone: 2;\n"), "bitfields of sk_buff");
        assertTrue(skb.contains("\n\tchar cb[48];\n"), "arrays of sk_buff");
        assertTrue(skb.contains("\t\t\tvoid (*destructor)(struct sk_buff *);\n"), "function pointers of sk_buff");
        String task = BtfDump.c(btf, btf.find("task_struct", BtfKind.STRUCT).orElseThrow().id());
        assertTrue(task.startsWith("struct task_struct {\n") && task.endsWith("\n};"), task.substring(0, 40));
        assertTrue(task.contains("\n\tchar comm[16];\n"), "task_struct's comm");
    }

    @Test
    void layoutOfKernelTypes() {
        Btf btf = vmlinux();
        BtfType.Struct task = btf.find("task_struct", BtfType.Struct.class).orElseThrow();
        assertEquals(Integer.toUnsignedLong(task.size()), btf.sizeOf(task.id()));
        assertEquals(8, btf.pointerSize());
        int listHead = btf.find("list_head", BtfKind.STRUCT).orElseThrow().id();
        assertEquals(16, btf.sizeOf(listHead));
        assertEquals(8, btf.alignOf(listHead));
        BtfType u32 = btf.type(btf.resolve(btf.find("u32", BtfKind.TYPEDEF).orElseThrow().id()));
        assertEquals(new BtfType.Int(u32.id(), "unsigned int", 4, 0, 0, 32), u32);
        BtfMember comm = task.members().stream().filter(m -> m.name().equals("comm")).findFirst().orElseThrow();
        assertEquals(16, btf.sizeOf(comm.typeId()));
    }

    @Test
    void vmlinuxIsReadOncePerProcess() throws Exception {
        Btf first = vmlinux();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Btf>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) all.add(pool.submit(KernelBtf::vmlinux));
            for (Future<Btf> f : all) assertSame(first, f.get());
        } finally {
            pool.shutdownNow();
        }
        assertArrayEquals(Files.readAllBytes(VMLINUX), first.raw());
    }

    /**
     * Split BTF as a module's is: a blob built on vmlinux, written to a file and read back on
     * vmlinux as {@link KernelBtf#module} reads a module's, with types that refer to vmlinux's,
     * names vmlinux has too, and every kind a module's BTF holds; bpftool reads the same file.
     */
    @Test
    void splitBtfOnTheRealVmlinux(@TempDir Path dir) throws Exception {
        Btf base = vmlinux();
        int task = base.find("task_struct", BtfKind.STRUCT).orElseThrow().id();
        int listHead = base.find("list_head", BtfKind.STRUCT).orElseThrow().id();
        int intId = base.find("int", BtfKind.INT).orElseThrow().id();
        int u32 = base.find("u32", BtfKind.TYPEDEF).orElseThrow().id();
        BtfBuilder b = BtfBuilder.split(base);
        int taskPtr = b.addPtr(task);
        int s = b.addStruct("bpf4j_module_thing", 24, List.of(new BtfMember("owner", taskPtr, 0, 0),
                new BtfMember("list", listHead, 64, 0)));
        int bits = b.addStruct("bpf4j_module_bits", 4, List.of(new BtfMember("on", u32, 0, 1), new BtfMember("level", u32, 1, 7)));
        int e = b.addEnum("bpf4j_module_state", 4, false, List.of(new BtfEnumValue("BPF4J_IDLE", 0), new BtfEnumValue("BPF4J_BUSY", 1)));
        int proto = b.addFuncProto(intId, List.of(new BtfParam("thing", b.addPtr(s)), new BtfParam("state", e)));
        int func = b.addFunc("bpf4j_module_poke", proto, BtfLinkage.GLOBAL);
        b.addDeclTag("bpf4j_kfunc", func, -1);
        int dup = b.addStruct("list_head", 8, List.of(new BtfMember("only", taskPtr, 0, 0)));
        int var = b.addVar("bpf4j_module_count", u32, BtfLinkage.GLOBAL);
        b.addDatasec(".data..percpu", 4, List.of(new BtfVarSecinfo(var, 0, 4)));
        byte[] blob = b.marshal();
        Path file = dir.resolve("bpf4j_module");
        Files.write(file, blob);

        Btf split = Btf.read(file, base);
        assertSame(base, split.base().orElseThrow());
        assertEquals(base.typeCount(), split.firstId());
        assertEquals(b.build().types().toList(), split.types().toList(), "the types built are the types read");
        assertEquals(24, split.sizeOf(s));
        assertEquals(8, split.alignOf(s));
        assertEquals(4, split.sizeOf(bits));
        assertEquals(task, split.find("task_struct", BtfKind.STRUCT).orElseThrow().id(), "vmlinux's types are seen through it");
        assertArrayEquals(new int[] {listHead, dup}, split.ids("list_head"), "vmlinux's id first, then the module's");
        assertEquals(func, split.find("bpf4j_module_poke", BtfKind.FUNC).orElseThrow().id());
        assertEquals("struct bpf4j_module_thing {\n\tstruct task_struct *owner;\n\tstruct list_head list;\n};",
                BtfDump.c(split, s));
        assertArrayEquals(blob, BtfBuilder.from(split).marshal(), "split BTF round-trips against its base");
        agreeWithBpftool(split, file);
    }

    @Test
    void parsedVmlinuxKeepsLittleMoreThanItsBytes() {
        Btf btf = Btf.parse(vmlinux().raw());
        long raw = btf.rawSize();
        assertTrue(btf.footprint() < raw * 11 / 10, "parsed: " + btf.footprint() + " bytes for " + raw);
        for (int i = 0; i < 4; i++) btf.ids("task_struct");
        assertTrue(btf.indexed());
        assertTrue(btf.footprint() < raw * 3 / 2, "parsed and indexed: " + btf.footprint() + " bytes for " + raw);
        System.out.printf("[vmlinux BTF] %d bytes raw; parsed %d (%.2fx); with the name index %d (%.2fx)%n", raw,
                Btf.parse(vmlinux().raw()).footprint(), Btf.parse(vmlinux().raw()).footprint() / (double) raw,
                btf.footprint(), btf.footprint() / (double) raw);
    }
}
