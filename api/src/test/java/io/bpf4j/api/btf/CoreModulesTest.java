package io.bpf4j.api.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CO-RE against a kernel with modules, on hand-built vmlinux and module BTF (this machine's kernel
 * has no modules): a type vmlinux lacks is found in a module's own types and matched through the
 * module's BTF, vmlinux wins when it has a candidate, and the modules are only asked for when needed.
 */
class CoreModulesTest {
    /** Local {@code struct conn { int mark; }}: field 0 at offset 0. */
    private static final class Local {
        final Btf btf;
        final int conn;

        Local(String name) {
            BtfBuilder b = new BtfBuilder();
            int i = b.addInt("int", 4, BtfType.Int.SIGNED);
            conn = b.addStruct(name, 4, List.of(new BtfMember("mark", i, 0, 0)));
            btf = b.build();
        }
    }

    private static BtfExt.CoreRelo offsetOfMark(int type) {
        return new BtfExt.CoreRelo(0, type, 0, "0:0", CoreReloKind.FIELD_BYTE_OFFSET);
    }

    /** vmlinux: {@code int}, and {@code struct task { int pid; }}. */
    private static Btf vmlinux() {
        BtfBuilder b = new BtfBuilder();
        int i = b.addInt("int", 4, BtfType.Int.SIGNED);
        b.addStruct("task", 4, List.of(new BtfMember("pid", i, 0, 0)));
        return b.build();
    }

    /** A module split on vmlinux with {@code struct conn { long id; int mark; }}, its int being vmlinux's. */
    private static Btf module(Btf vmlinux, int markAt) {
        BtfBuilder b = BtfBuilder.split(vmlinux);
        int lng = b.addInt("long", 8, BtfType.Int.SIGNED);
        b.addStruct("conn", 16, List.of(new BtfMember("id", lng, 0, 0), new BtfMember("mark", 1, markAt * 8, 0)));
        return b.build();
    }

    @Test
    void aTypeVmlinuxLacksIsFoundInAModule() {
        Btf vmlinux = vmlinux();
        Btf other = BtfBuilder.split(vmlinux).build();
        Btf mod = module(vmlinux, 8);
        Local l = new Local("conn");
        AtomicInteger asked = new AtomicInteger();
        CoreRelocator c = new CoreRelocator(l.btf, vmlinux, () -> {
            asked.incrementAndGet();
            return List.of(other, mod);
        });
        CoreRelocator.Result r = c.resolve(offsetOfMark(l.conn));
        assertEquals(8, r.targetValue());
        assertEquals(mod.firstId() + 1, r.targetTypeId(), "the module's own id of struct conn");
        c.resolve(offsetOfMark(l.conn));
        assertEquals(1, asked.get(), "modules listed once");
        // Without modules, the field's relocation is poisoned as a missing type's is.
        assertTrue(new CoreRelocator(l.btf, vmlinux).resolve(offsetOfMark(l.conn)).poison());
    }

    @Test
    void vmlinuxWinsAndModulesAreNotListedForIt() {
        Btf vmlinux = vmlinux();
        Local l = new Local("task");
        CoreRelocator c = new CoreRelocator(l.btf, vmlinux, () -> {
            throw new AssertionError("modules listed although vmlinux has the type");
        });
        assertEquals(0, c.resolve(offsetOfMark(l.conn)).targetValue());
    }

    @Test
    void twoModulesThatDisagreeAreAmbiguous() {
        Btf vmlinux = vmlinux();
        Local l = new Local("conn");
        CoreRelocator c = new CoreRelocator(l.btf, vmlinux, () -> List.of(module(vmlinux, 8), module(vmlinux, 12)));
        CoreRelocationException e = assertThrows(CoreRelocationException.class, () -> c.resolve(offsetOfMark(l.conn)));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        // Agreeing ones are not.
        CoreRelocator same = new CoreRelocator(l.btf, vmlinux, () -> List.of(module(vmlinux, 8), module(vmlinux, 8)));
        assertEquals(8, same.resolve(offsetOfMark(l.conn)).targetValue());
    }

    @Test
    void modulesAreRequired() {
        Local l = new Local("conn");
        assertThrows(NullPointerException.class, () -> new CoreRelocator(l.btf, vmlinux(), null));
        assertSame(CoreRelocator.class, new CoreRelocator(l.btf, vmlinux(), List::of).getClass());
    }
}
