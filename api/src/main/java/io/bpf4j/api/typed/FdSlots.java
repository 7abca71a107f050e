package io.bpf4j.api.typed;

/** The 4-byte keys and descriptor values of program arrays and maps of maps. */
final class FdSlots {
    private FdSlots() {
    }

    static byte[] u32(int v, String what) {
        if (v < 0) throw new IllegalArgumentException(what + ": " + v + " is negative");
        byte[] b = new byte[4];
        Bytes.putInt(b, 0, v);
        return b;
    }
}
