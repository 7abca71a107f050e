package io.bpf4j.sim.internal.kernel;

import io.bpf4j.api.Errno;

/**
 * A loaded BTF blob. The simulator checks the header and section bounds as {@code btf_parse_hdr()}
 * and {@code btf_parse_str_sec()} do, and keeps the bytes; it does not check the types.
 */
public final class SimBtf extends KObject {
    private final Kernel kernel;
    private final byte[] raw;

    private SimBtf(Kernel kernel, byte[] raw) {
        super(ObjKind.BTF);
        this.kernel = kernel;
        this.raw = raw.clone();
    }

    /**
     * Checks and wraps a blob.
     *
     * @param k the kernel
     * @param raw the blob
     * @return the object, not yet registered
     * @throws KErr with the kernel's errno and log line
     */
    public static SimBtf parse(Kernel k, byte[] raw) {
        if (raw.length < 24) throw KErr.of(Errno.EINVAL, "btf_data_size < sizeof(struct btf_header)");
        int magic = u16(raw, 0);
        if (magic != 0xeb9f) throw KErr.of(Errno.EINVAL, "Invalid magic");
        if ((raw[2] & 0xff) != 1) throw KErr.of(Errno.ENOTSUPP, "Unsupported version");
        if (raw[3] != 0) throw KErr.of(Errno.ENOTSUPP, "Unsupported flags");
        long hdrLen = u32(raw, 4);
        if (hdrLen < 24 || hdrLen > raw.length) throw KErr.of(Errno.EINVAL, "Unsupported btf_header");
        long typeOff = u32(raw, 8);
        long typeLen = u32(raw, 12);
        long strOff = u32(raw, 16);
        long strLen = u32(raw, 20);
        long data = raw.length - hdrLen;
        if (typeOff + typeLen > data || strOff + strLen > data) throw KErr.of(Errno.EINVAL, "Total section length too long");
        if (typeOff % 4 != 0) throw KErr.of(Errno.EINVAL, "Unaligned type_off");
        if (strLen == 0 || raw[(int) (hdrLen + strOff)] != 0 || raw[(int) (hdrLen + strOff + strLen - 1)] != 0) {
            throw KErr.of(Errno.EINVAL, "Invalid string section");
        }
        return new SimBtf(k, raw);
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int i) {
        return Integer.toUnsignedLong((b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24);
    }

    /**
     * The blob's size.
     *
     * @return bytes
     */
    public int size() {
        return raw.length;
    }

    @Override
    protected void destroy() {
    }

    @Override
    protected Kernel kernel() {
        return kernel;
    }

    @Override
    public String describe() {
        return "btf #" + id();
    }
}
