package io.bpf4j.api.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.MapType;
import io.bpf4j.api.asm.Instruction;
import io.bpf4j.api.asm.Opcodes;
import io.bpf4j.api.btf.BtfBuilder;
import io.bpf4j.api.btf.BtfLinkage;
import io.bpf4j.api.btf.BtfMember;
import io.bpf4j.api.btf.BtfVarSecinfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BTF-defined maps whose definitions are wrong are refused naming the map; a good one reads.
 * The definitions are built as clang emits them: a struct of {@code int (*attr)[N]} members.
 */
class MalformedBtfMapsTest {
    private static final long MOV_R0_2 = new Instruction(Opcodes.ALU64 | Opcodes.MOV | Opcodes.K, 0, 0, 0, 2).encode();
    private static final long EXIT = new Instruction(Opcodes.EXIT_OP, 0, 0, 0, 0).encode();

    /** Builds an object with one map "m" in .maps whose struct has the given members. */
    private static final class Def {
        final BtfBuilder b = new BtfBuilder();
        final int u32 = b.addInt("unsigned int", 4, 0);
        final int idx = b.addInt("__ARRAY_SIZE_TYPE__", 4, 0);
        final List<BtfMember> members = new ArrayList<>();

        Def uint(String name, int n) {
            int arr = b.addArray(u32, idx, n);
            members.add(new BtfMember(name, b.addPtr(arr), members.size() * 64, 0));
            return this;
        }

        Def type(String name, int typeId) {
            members.add(new BtfMember(name, b.addPtr(typeId), members.size() * 64, 0));
            return this;
        }

        byte[] elf() {
            int size = members.size() * 8;
            int st = b.addStruct("", size, members);
            int var = b.addVar("m", st, BtfLinkage.GLOBAL);
            b.addDatasec(".maps", 0, List.of(new BtfVarSecinfo(var, 0, size)));
            ElfWriter w = new ElfWriter();
            int xdp = w.code("xdp", MOV_R0_2, EXIT);
            w.function("prog", xdp, 0, 2);
            int maps = w.data(".maps", new byte[size]);
            w.symbol("m", ElfFile.STT_OBJECT, ElfFile.STB_GLOBAL, maps, 0, size);
            w.section(".BTF", ElfFile.SHT_PROGBITS, 0, b.marshal());
            return w.build();
        }
    }

    private static void refused(Def d, String detail) {
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse("bad.o", d.elf()));
        assertEquals(".maps", e.section(), e.getMessage());
        assertEquals("m", e.symbol(), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage() + " should say: " + detail);
    }

    @Test
    void aGoodDefinitionReads() {
        Def d = new Def().uint("type", 1).uint("max_entries", 8);
        d.type("key", d.u32).type("value", d.u32);
        ObjectMap m = ObjectSpec.parse("ok.o", d.elf()).map("m");
        assertEquals(List.of(MapType.HASH, 4, 4, 8), List.of(m.type(), m.keySize(), m.valueSize(), m.maxEntries()));
    }

    @Test
    void badDefinitionsAreRefusedNamingTheMap() {
        refused(new Def().uint("max_entries", 8), "has no type");
        refused(new Def().uint("type", 99), "unknown map type 99");
        refused(new Def().uint("type", 1).uint("colour", 3), "unknown map attribute 'colour'");
        Def d = new Def().uint("type", 1).uint("key_size", 8);
        d.type("key", d.u32);
        refused(d, "conflicting sizes");
        refused(new Def().uint("type", 1).uint("pinning", 2), "pinning 2");
        d = new Def().uint("type", 1);
        d.members.add(new BtfMember("max_entries", d.u32, 64, 0));
        refused(d, "'max_entries' is not __uint(max_entries, N)");
        d = new Def().uint("type", 1);
        d.members.add(new BtfMember("key", d.u32, 64, 0));
        refused(d, "'key' is not __type(key, T)");
    }

    @Test
    void dotMapsWithoutBtfIsRefused() {
        ElfWriter w = new ElfWriter();
        int xdp = w.code("xdp", MOV_R0_2, EXIT);
        w.function("prog", xdp, 0, 2);
        w.data(".maps", new byte[8]);
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ObjectSpec.parse("bad.o", w.build()));
        assertTrue(e.getMessage().contains("need the object's .BTF"), e.getMessage());
    }
}
