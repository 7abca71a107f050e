package io.bpf4j.it.btf;

import io.bpf4j.api.btf.Btf;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfEnumValue;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfType;
import io.bpf4j.api.btf.KernelBtf;
import io.bpf4j.testsupport.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Target BTFs for the CO-RE tests, each as bpf4j reads it and as a file libbpf reads: the running
 * kernel's, an object's own, C files compiled with clang ({@code src/test/resources/btf/targets},
 * only their {@code .BTF} is used), and BTF built in Java where C cannot say it (a 32-bit
 * {@code long}, two types of one name, a 64-bit enum, integers with a bit offset, big-endian
 * encoding).
 */
final class CoreTargets {
    /**
     * A target.
     *
     * @param name what the test calls it
     * @param btf the target as bpf4j reads it
     * @param file the same target as libbpf reads it (raw BTF or an ELF object with .BTF)
     */
    record Target(String name, Btf btf, Path file) {
        @Override
        public String toString() {
            return name;
        }
    }

    private CoreTargets() {
    }

    static Target vmlinux() {
        return new Target("vmlinux", KernelBtf.vmlinux(), KernelBtf.DIRECTORY.resolve("vmlinux"));
    }

    /** The object's own BTF: every relocation finds its local type. */
    static Target own(CoreObject o, Path dir) throws IOException {
        Path f = dir.resolve("own-" + o.name);
        Files.write(f, o.elf);
        return new Target("own", o.btf, f);
    }

    /** A C file of src/test/resources/btf/targets compiled with {@code clang -target bpf -g}. */
    static Target compiled(String name, Path dir) throws IOException {
        Path src = dir.resolve(name + ".c");
        try (InputStream in = CoreTargets.class.getResourceAsStream("/btf/targets/" + name + ".c")) {
            if (in == null) throw new IllegalStateException("no target source " + name + ".c on the class path");
            Files.write(src, in.readAllBytes());
        }
        Path obj = dir.resolve(name + ".o");
        Commands.run("clang", "-target", "bpf", "-g", "-c", src.toString(), "-o", obj.toString());
        return new Target(name, Btf.parse(CoreObject.section(Files.readAllBytes(obj), ".BTF")), obj);
    }

    /** BTF built in Java, written raw in the given byte order. */
    static Target built(String name, Btf btf, ByteOrder order, Path dir) {
        byte[] raw = BtfBuilder.from(btf).marshal(order);
        Path f = dir.resolve(name + ".btf");
        try {
            Files.write(f, raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Target(name, Btf.parse(raw), f);
    }

    /** core_fields.o's types on a target whose {@code long}, and so whose pointers, are 4 bytes. */
    static Btf pointers32() {
        BtfBuilder b = new BtfBuilder();
        b.addInt("long", 4, BtfType.Int.SIGNED);
        int u8 = b.addInt("unsigned char", 1, 0);
        int u16 = b.addInt("unsigned short", 2, 0);
        int u32 = b.addInt("unsigned int", 4, 0);
        int s32 = b.addInt("int", 4, BtfType.Int.SIGNED);
        int u64 = b.addInt("unsigned long long", 8, 0);
        int chr = b.addInt("char", 1, BtfType.Int.SIGNED);
        int inner = b.addStruct("core_inner", 8, List.of(m("c", u32, 0), m("d", u32, 32)));
        int mode = b.addEnum("core_mode", 4, false, List.of(new BtfEnumValue("CORE_MODE_A", 1), new BtfEnumValue("CORE_MODE_B", 2)));
        int voidPtr = b.addPtr(0);
        int innerPtr = b.addPtr(inner);
        int name = b.addArray(chr, u32, 8);
        b.addStruct("core_sizes", 40, List.of(m("sgn", s32, 0), m("mode", mode, 32), m("small", u8, 64), m("big", u64, 128),
                m("ptr", voidPtr, 192), m("inner_ptr", innerPtr, 224), m("name", name, 256), m("plain", u16, 320),
                new BtfMember("bits", u32, 336, 7)));
        b.addStruct("core_anon", 12, List.of(m("first", s32, 0), m("u_a", u32, 32), m("deep", u32, 64)));
        return b.build();
    }

    /**
     * core_flavors.o's types as no compiler writes them: two structs of one name and layout, a
     * union and a forward declaration where the object has structs, a 64-bit signed enum, an
     * integer with a bit offset, a float where the object has a long.
     */
    static Btf oddities() {
        BtfBuilder b = new BtfBuilder();
        int i32 = b.addInt("int", 4, BtfType.Int.SIGNED);
        int i64 = b.addInt("long", 8, BtfType.Int.SIGNED);
        int f64 = b.addFloat("double", 8);
        b.addStruct("core_flav", 8, List.of(m("a", i32, 0), m("b", i32, 32)));
        b.addStruct("core_flav", 8, List.of(m("a", i32, 0), m("b", i32, 32)));
        b.addUnion("core_narrow", 4, List.of(m("shared", i32, 0), m("only_new", i32, 0)));
        b.addFwd("core_narrow___fwd", false);
        int e = b.addEnum64("core_e", 8, true, List.of(new BtfEnumValue("CE_A", 1L << 33), new BtfEnumValue("CE_B", -5),
                new BtfEnumValue("CE_C", 7)));
        int oddInt = b.add(new BtfType.Int(0, "int", 4, BtfType.Int.SIGNED, 3, 29));
        int voidPtr = b.addPtr(0);
        int fwd = b.addFwd("core_flav", false);
        int arr = b.addArray(i32, i32, 4);
        int u = b.addStruct("", 16, List.of(m("pad", i64, 0), m("b", i64, 64)));
        b.addStruct("core_kinds", 80, List.of(m("e", e, 0), m("i", oddInt, 64), m("p", voidPtr, 128), m("s", fwd, 192),
                m("l", f64, 256), m("arr", arr, 320), m("u", u, 448)));
        int un = b.addUnion("", 8, List.of(m("a", i32, 0), m("b", i64, 0)));
        b.addTypedef("core_td_t", un);
        b.addTypedef("core_long_t", f64);
        b.addStruct("core_trail___", 8, List.of(m("a", i32, 32)));
        b.addStruct("core_trail___", 8, List.of(m("a", i32, 0)));
        return b.build();
    }

    private static BtfMember m(String name, int type, int bitOffset) {
        return new BtfMember(name, type, bitOffset, 0);
    }
}
