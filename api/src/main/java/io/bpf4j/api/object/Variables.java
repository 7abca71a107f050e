package io.bpf4j.api.object;

/** Integer encoding of global variables, shared by the spec and the loaded collection. */
final class Variables {
    private Variables() {
    }

    /** The little-endian bytes of {@code value} in the variable's size, after the type check. */
    static byte[] encode(ObjectVariable v, long value) {
        checkInteger(v);
        byte[] b = new byte[v.size()];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (value >>> (8 * i));
        return b;
    }

    /** The value of little-endian bytes, sign-extended from the variable's size. */
    static long decode(ObjectVariable v, byte[] b, int off) {
        checkInteger(v);
        long x = 0;
        for (int i = v.size() - 1; i >= 0; i--) x = x << 8 | (b[off + i] & 0xffL);
        int shift = 64 - 8 * v.size();
        return shift == 0 ? x : x << shift >> shift;
    }

    static void checkInteger(ObjectVariable v) {
        int s = v.size();
        if (s != 1 && s != 2 && s != 4 && s != 8) {
            throw new IllegalArgumentException("name: '" + v.name() + "' has " + s + " bytes, not an integer's 1, 2, 4 or 8"
                    + (v.typeName().isEmpty() ? "" : " (" + v.typeName() + ")"));
        }
        if (!v.integer()) {
            throw new IllegalArgumentException("name: '" + v.name() + "' is " + v.typeName() + ", not an integer");
        }
    }
}
