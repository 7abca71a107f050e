package io.bpf4j.it.diff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian keys and values, as BPF maps on x86-64 and in the simulator hold them. */
final class Bytes {
    private Bytes() {
    }

    static byte[] k(int key) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(key).array();
    }

    static byte[] v(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    /** A per-CPU value of 8-byte slots, one per possible CPU, {@code base + cpu} in each. */
    static byte[] perCpu(long base) {
        ByteBuffer b = ByteBuffer.allocate(8 * DiffHost.CPUS).order(ByteOrder.LITTLE_ENDIAN);
        for (int cpu = 0; cpu < DiffHost.CPUS; cpu++) b.putLong(base + cpu);
        return b.array();
    }

    /** {@code n} bytes of {@code fill}. */
    static byte[] fill(int n, int fill) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static long le64(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static int le32(byte[] b, int off) {
        return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
