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
     * The blob as loaded.
     *
     * @return a copy of the bytes
     */
    public byte[] raw() {
        return raw.clone();
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
        long hdrLen = u32(raw, 4);
        long typeOff = u32(raw, 8);
        long typeLen = u32(raw, 12);
        long strOff = u32(raw, 16);
        long strLen = u32(raw, 20);
        // btf_verifier_log_hdr(): the kernel logs the header before judging it.
        String hdr = String.format("magic: 0x%x%nversion: %d%nflags: 0x%x%nhdr_len: %d%ntype_off: %d%ntype_len: %d%n"
                + "str_off: %d%nstr_len: %d%nbtf_total_size: %d%n", u16(raw, 0), raw[2] & 0xff, raw[3] & 0xff, hdrLen,
                typeOff, typeLen, strOff, strLen, raw.length);
        if (u16(raw, 0) != 0xeb9f) throw KErr.of(Errno.EINVAL, hdr + "Invalid magic");
        if ((raw[2] & 0xff) != 1) throw KErr.of(Errno.ENOTSUPP, hdr + "Unsupported version");
        if (raw[3] != 0) throw KErr.of(Errno.ENOTSUPP, hdr + "Unsupported flags");
        if (hdrLen < 24 || hdrLen > raw.length) throw KErr.of(Errno.EINVAL, hdr + "Unsupported btf_header");
        long data = raw.length - hdrLen;
        if (typeOff + typeLen > data || strOff + strLen > data) throw KErr.of(Errno.EINVAL, hdr + "Total section length too long");
        if (typeOff % 4 != 0) throw KErr.of(Errno.EINVAL, hdr + "Unaligned type_off");
        if (strLen == 0 || raw[(int) (hdrLen + strOff)] != 0 || raw[(int) (hdrLen + strOff + strLen - 1)] != 0) {
            throw KErr.of(Errno.EINVAL, hdr + "Invalid string section");
        }
        if (typeLen == 0) throw KErr.of(Errno.EINVAL, hdr + "No type found");
        checkMetas(raw, (int) (hdrLen + typeOff), (int) typeLen, strLen, hdr);
        SimBtf b = new SimBtf(k, raw);
        b.log = hdr;
        return b;
    }

    private String log = "";

    /** Sizes of the data after each kind's 12-byte header: fixed, and per vlen entry. */
    private static final int[] FIXED = {0, 4, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 4, 0, 0};
    private static final int[] PER_VLEN = {0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12};

    /**
     * {@code btf_check_all_metas()}, reduced to what can be checked without type semantics: known
     * kinds (1 to 19 in Linux 6.18), names inside the string section, records inside the section.
     */
    private static void checkMetas(byte[] raw, int start, int len, long strLen, String hdr) {
        int off = start;
        int end = start + len;
        for (int id = 1; off < end; id++) {
            if (end - off < 12) throw KErr.of(Errno.EINVAL, hdr + "[" + id + "] type_len too small");
            long nameOff = u32(raw, off);
            int info = (int) u32(raw, off + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            // BTF_INFO_MASK: vlen, kind and kind_flag; any other bit is refused first.
            if ((info & ~0x9f00ffff) != 0) {
                throw KErr.of(Errno.EINVAL, hdr + "[" + id + "] Invalid btf_info:" + Integer.toHexString(info));
            }
            if (kind == 0 || kind >= FIXED.length) throw KErr.of(Errno.EINVAL, hdr + "[" + id + "] Invalid kind:" + kind);
            if (nameOff >= strLen) throw KErr.of(Errno.EINVAL, hdr + "[" + id + "] Invalid name_offset:" + nameOff);
            off += 12 + FIXED[kind] + PER_VLEN[kind] * vlen;
            if (off > end) throw KErr.of(Errno.EINVAL, hdr + "[" + id + "] meta_left too small");
        }
    }

    /**
     * What the kernel logs for an accepted blob: its header.
     *
     * @return the log
     */
    public String log() {
        return log;
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

    /**
     * The blob as loaded, which the kernel hands back through {@code bpf_btf_info.btf}.
     *
     * @return a copy
     */
    public byte[] data() {
        return raw.clone();
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
