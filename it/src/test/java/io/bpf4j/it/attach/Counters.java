package io.bpf4j.it.attach;

import io.bpf4j.api.Bpf;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An array map of u64 slots that the test programs count into, read from user space. */
final class Counters implements AutoCloseable {
    final BpfMap map;

    Counters(Bpf bpf, int slots) {
        map = BpfMap.create(bpf, MapSpec.of(MapType.ARRAY, 4, 8, slots).withName("b4j_counts"));
    }

    int fd() {
        return map.fd();
    }

    long get(int slot) {
        byte[] v = new byte[8];
        if (!map.lookup(key(slot), v)) throw new IllegalStateException("slot " + slot + " missing");
        return ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    void reset(int slot) {
        map.put(key(slot), new byte[8]);
    }

    private static byte[] key(int slot) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(slot).array();
    }

    @Override
    public void close() {
        map.close();
    }
}
