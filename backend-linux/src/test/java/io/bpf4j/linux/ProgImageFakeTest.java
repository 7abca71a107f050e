package io.bpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.Operation;
import io.bpf4j.api.Support;
import io.bpf4j.linux.internal.uapi.LinuxUapi;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The two-call protocol of a program's images through a fake chokepoint: the kernel's answers that
 * cannot be provoked on demand (an image withheld, a size that changed, an error) each reported.
 */
class ProgImageFakeTest {
    private static final int FD = 99_999; // no such descriptor in this process, so no /proc check applies
    private static final int INFO = LinuxUapi.cmd(Operation.OBJ_GET_INFO_BY_FD);
    /** bpf_prog_info offsets (Linux 6.18 uapi): xlated_prog_len and xlated_prog_insns. */
    private static final int XLATED_LEN = 20;
    private static final int XLATED_INSNS = 32;

    private final FakeSyscalls fake = new FakeSyscalls();
    private final LinuxBpf bpf = new LinuxBpf(fake, 2, FakeKernelTest.all(Support.YES));

    /** Answers info calls: the first with the size, later ones by {@code second}. */
    private void kernel(int size, Second second) {
        AtomicInteger n = new AtomicInteger();
        fake.script = (f, cmd, a) -> {
            if (cmd != INFO) return -22;
            ByteBuffer info = f.at(a.getLong(8));
            if (n.getAndIncrement() == 0) {
                info.putInt(XLATED_LEN, size);
                return 0;
            }
            return second.answer(f, info);
        };
    }

    private interface Second {
        long answer(FakeSyscalls f, ByteBuffer info);
    }

    @Test
    void theSecondCallCopiesIntoRoomOfTheAnnouncedSize() {
        kernel(16, (f, info) -> {
            assertEquals(16, info.getInt(XLATED_LEN), "room for exactly what the first call announced");
            ByteBuffer room = f.at(info.getLong(XLATED_INSNS));
            room.putLong(0, 0xb7L | 7L << 32).putLong(8, 0x95L);
            return 0;
        });
        assertArrayEquals(new long[] {0xb7L | 7L << 32, 0x95L}, bpf.progGetXlated(FD));
    }

    @Test
    void aWithheldImageIsEperm() {
        kernel(16, (f, info) -> {
            info.putLong(XLATED_INSNS, 0); // bpf_dump_raw_ok() refused: nothing copied
            return 0;
        });
        BpfException e = assertThrows(BpfException.class, () -> bpf.progGetXlated(FD));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals(Operation.PROG_XLATED, e.operation());
        assertTrue(e.getMessage().contains("withholds"), e.getMessage());
    }

    @Test
    void aSizeThatChangedIsNoSilentTruncation() {
        kernel(16, (f, info) -> {
            info.putInt(XLATED_LEN, 24);
            return 0;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bpf.progGetXlated(FD));
        assertTrue(e.getMessage().contains("changed size"), e.getMessage());
    }

    @Test
    void kernelErrorsNameTheOperation() {
        fake.script = (f, cmd, a) -> -9;
        BpfException e = assertThrows(BpfException.class, () -> bpf.progGetJited(FD));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals(Operation.PROG_JITED, e.operation());
        kernel(0, (f, info) -> -22);
        assertArrayEquals(new long[0], bpf.progGetXlated(FD), "no instructions: no second call");
    }
}
