package io.bpf4j.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.BtfInfo;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LoadResult;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.StatsType;
import io.bpf4j.api.TestRunSpec;
import io.bpf4j.api.VerifierException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BtfStatsTest extends SimTestBase {
    /** One {@code int}: the smallest BTF Linux 6.18 accepts (an empty type section is "No type found"). */
    static byte[] intBtf(int info, int nameOff) {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + strings.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(16).putInt(16).putInt(strings.length);
        b.putInt(nameOff).putInt(info).putInt(4).putInt((1 << 24) | 32).put(strings);
        return b.array();
    }

    private VerifierException btfRefused(Errno errno, String msg, byte[] blob) {
        VerifierException e = assertThrows(VerifierException.class, () -> sim.btfLoad(blob, 1));
        assertEquals(errno, e.errno());
        assertTrue(e.log().contains(msg), e.log());
        assertTrue(e.log().startsWith("magic: 0x"), "the kernel logs the header first: " + e.log());
        return e;
    }

    @Test
    void btfIsCheckedLikeTheKernelAndGetsIds() {
        LoadResult r = sim.btfLoad(intBtf(1 << 24, 1), 1);
        assertTrue(r.log().contains("btf_total_size: 45"), r.log());
        BtfInfo info = sim.btfGetInfo(r.fd());
        assertEquals(45, info.size());
        assertFalse(info.kernel());
        assertEquals(info.id(), sim.btfGetNextId(0));
        // Kernel answers for the same blobs with a broken info word, name offset, magic, version.
        btfRefused(Errno.EINVAL, "[1] Invalid btf_info:7f000000", intBtf(0x7f << 24, 1));
        btfRefused(Errno.EINVAL, "[1] Invalid name_offset:99", intBtf(1 << 24, 99));
        byte[] magic = intBtf(1 << 24, 1);
        magic[0] = 0;
        btfRefused(Errno.EINVAL, "Invalid magic", magic);
        byte[] version = intBtf(1 << 24, 1);
        version[2] = 2;
        btfRefused(Errno.ENOTSUPP, "Unsupported version", version);
        // A map described by it records the BTF id.
        int m = sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1).withBtf(r.fd(), 1, 1));
        assertEquals(info.id(), sim.mapGetInfo(m).btfId());
        fails(Errno.EINVAL, () -> sim.mapCreate(MapSpec.of(MapType.ARRAY, 4, 4, 1).withBtf(m, 1, 1)));
        sim.closeFd(m);
        sim.closeFd(r.fd());
    }

    @Test
    void runStatisticsCountOnlyWhileEnabled() {
        int p = prog(ProgramType.XDP, ret(2));
        sim.progTestRun(p, TestRunSpec.ofData(new byte[14]).withRepeat(3));
        assertEquals(0, sim.progGetInfo(p).runCount());
        int stats = sim.enableStats(StatsType.RUN_TIME);
        sim.progTestRun(p, TestRunSpec.ofData(new byte[14]).withRepeat(3));
        assertEquals(3, sim.progGetInfo(p).runCount());
        sim.closeFd(stats);
        sim.progTestRun(p, TestRunSpec.ofData(new byte[14]));
        assertEquals(3, sim.progGetInfo(p).runCount());
        sim.closeFd(p);
    }
}
