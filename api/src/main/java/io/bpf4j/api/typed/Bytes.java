package io.bpf4j.api.typed;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian numbers in byte arrays, as the kernel's keys and values hold them on x86 and arm64. */
final class Bytes {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static short getShort(byte[] b, int o) {
        return (short) SHORT.get(b, o);
    }

    static void putShort(byte[] b, int o, short v) {
        SHORT.set(b, o, v);
    }

    static int getInt(byte[] b, int o) {
        return (int) INT.get(b, o);
    }

    static void putInt(byte[] b, int o, int v) {
        INT.set(b, o, v);
    }

    static long getLong(byte[] b, int o) {
        return (long) LONG.get(b, o);
    }

    static void putLong(byte[] b, int o, long v) {
        LONG.set(b, o, v);
    }
}
