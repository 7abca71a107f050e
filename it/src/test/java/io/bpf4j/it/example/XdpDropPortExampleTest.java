package io.bpf4j.it.example;

import static io.bpf4j.api.asm.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.Errno;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.Operation;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.XdpMode;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.api.asm.Helper;
import io.bpf4j.sim.Fault;
import io.bpf4j.sim.Hooks;
import io.bpf4j.sim.SimBpf;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The examples of the README's "Testing agent code with the simulator": an XDP program that
 * drops UDP to port 9999 and counts drops and passes, fed packets through the simulator; and
 * agent code meeting injected map errors. Keep the README's snippets in step with this file.
 */
class XdpDropPortExampleTest {
    static final int DROPPED = 0;
    static final int PASSED = 1;
    static final int IFINDEX = 2;

    /** Parses Ethernet, IPv4 and UDP, checking every read against data_end; counts into {@code counts}. */
    static long[] dropUdpPort(int countsFd, int port) {
        int portBe = Short.toUnsignedInt(Short.reverseBytes((short) port)); // as a u16 load sees it
        return new Asm()
                .ldxw(R6, R1, 0)                              // r6 = ctx->data
                .ldxw(R7, R1, 4)                              // r7 = ctx->data_end
                .mov64(R8, PASSED)                            // r8 = the counter to bump
                .mov64(R2, R6).add64(R2, 14 + 20).jgt(R2, R7, "count")   // Ethernet + minimal IPv4
                .ldxh(R2, R6, 12).jne(R2, 0x0008, "count")    // EtherType IPv4 (0x0800, big-endian)
                .ldxb(R2, R6, 23).jne(R2, 17, "count")        // protocol UDP
                .ldxb(R3, R6, 14).and64(R3, 0x0f).lsh64(R3, 2) // IPv4 header length
                .add64(R3, R6).add64(R3, 14)                  // r3 = the UDP header
                .mov64(R2, R3).add64(R2, 8).jgt(R2, R7, "count")
                .ldxh(R2, R3, 2).jne(R2, portBe, "count")     // destination port
                .mov64(R8, DROPPED)
                .label("count")
                .stxw(R10, -4, R8).mov64(R2, R10).add64(R2, -4).ldMapFd(R1, countsFd)
                .call(Helper.MAP_LOOKUP_ELEM).jeq(R0, 0, "verdict")
                .mov64(R1, 1).atomicAdd64(R0, 0, R1)
                .label("verdict")
                .mov64(R0, Hooks.XDP_PASS).jne(R8, DROPPED, "out").mov64(R0, Hooks.XDP_DROP)
                .label("out").exit()
                .toArray();
    }

    /** An Ethernet frame with an IPv4 header of the given protocol and a UDP/TCP destination port. */
    static byte[] packet(int protocol, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20);  // big-endian, as on the wire
        b.position(12);
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0).put((byte) 64).put((byte) protocol);
        b.position(14 + 20);
        b.putShort((short) 40000).putShort((short) dstPort);
        return b.array();
    }

    static long count(BpfMap counts, int key) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key).array();
        return ByteBuffer.wrap(counts.lookup(k).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void dropsUdpToPort9999AndCountsTheRest() {
        try (SimBpf sim = (SimBpf) Bpf.open("sim");
             BpfMap counts = BpfMap.create(sim, MapSpec.of(MapType.ARRAY, 4, 8, 2));
             BpfProgram prog = BpfProgram.load(sim, ProgramSpec.of(ProgramType.XDP, dropUdpPort(counts.fd(), 9999), "GPL"));
             BpfLink link = prog.attachXdp(IFINDEX, XdpMode.DEFAULT)) {
            Hooks hooks = sim.hooks();
            assertEquals(Hooks.XDP_DROP, hooks.xdp(IFINDEX, packet(17, 9999)).verdict());  // UDP to 9999
            assertEquals(Hooks.XDP_PASS, hooks.xdp(IFINDEX, packet(17, 53)).verdict());    // UDP to 53
            assertEquals(Hooks.XDP_PASS, hooks.xdp(IFINDEX, packet(6, 9999)).verdict());   // TCP to 9999
            byte[] truncated = java.util.Arrays.copyOf(packet(17, 9999), 14 + 20 + 3);
            assertEquals(Hooks.XDP_PASS, hooks.xdp(IFINDEX, truncated).verdict());          // no whole UDP header
            assertEquals(1, count(counts, DROPPED));
            assertEquals(3, count(counts, PASSED));
        }
    }

    /** Agent code under test: store a value, retrying a few times when the kernel is out of memory. */
    static int putWithRetry(BpfMap map, byte[] key, byte[] value, int attempts) {
        for (int i = 1; ; i++) {
            try {
                map.put(key, value);
                return i;
            } catch (BpfException e) {
                if (e.errno() != Errno.ENOMEM || i == attempts) throw e;
            }
        }
    }

    @Test
    void agentRetriesWhenMapUpdatesFailWithEnomem() {
        try (SimBpf sim = (SimBpf) Bpf.open("sim");
             BpfMap map = BpfMap.create(sim, MapSpec.of(MapType.HASH, 4, 8, 16))) {
            sim.faults().inject(Fault.on(Operation.MAP_UPDATE_ELEM, Errno.ENOMEM).times(2));
            assertEquals(3, putWithRetry(map, new byte[4], new byte[8], 5));  // two failures, then stored

            sim.faults().inject(Fault.on(Operation.MAP_UPDATE_ELEM, Errno.ENOMEM).times(2));
            BpfException e = assertThrows(BpfException.class, () -> putWithRetry(map, new byte[4], new byte[8], 2));
            assertEquals(Errno.ENOMEM, e.errno());
        }
    }
}
