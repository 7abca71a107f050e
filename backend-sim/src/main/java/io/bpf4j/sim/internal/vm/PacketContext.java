package io.bpf4j.sim.internal.vm;

/**
 * A context structure whose packet pointer fields ({@code data}, {@code data_end},
 * {@code data_meta} of {@code struct xdp_md} or {@code struct __sk_buff}) read as pointers
 * into the packet, as the kernel's rewrite of context accesses makes them. All other fields are
 * plain bytes of the context array.
 */
final class PacketContext {
    final VmPacket packet;
    final int dataField;
    final int dataEndField;
    final int metaField;

    PacketContext(VmPacket packet, int dataField, int dataEndField, int metaField) {
        this.packet = packet;
        this.dataField = dataField;
        this.dataEndField = dataEndField;
        this.metaField = metaField;
    }

    private boolean overlaps(int field, int off, int n) {
        return field >= 0 && off < field + 4 && field < off + n;
    }

    private boolean pointerField(int off, int n) {
        return overlaps(dataField, off, n) || overlaps(dataEndField, off, n) || overlaps(metaField, off, n);
    }

    long load(Memory mem, int id, int off, int n) {
        if (dataField == PacketLayout.SKB.dataField() && packet.skbState) {
            refreshSkb(mem, id);
        }
        if (pointerField(off, n)) {
            if (n != 4 || (off != dataField && off != dataEndField && off != metaField)) {
                throw new Memory.Fault("invalid access of " + n + " bytes at offset " + off
                        + " of the context: packet pointer fields are read as whole 32-bit words");
            }
            VmPacket p = packet;
            int base = p.meta;
            int at = off == dataField ? p.data : off == dataEndField ? p.end : p.meta;
            return mem.ptr(p.regionId, at - base);
        }
        if (off < 0 || off > mem.size[id] - n) {
            throw mem.outside(mem.ptr(id, off), n, "read", id);
        }
        byte[] m = mem.arr[id];
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (m[mem.start(id) + off + i] & 0xff);
        }
        return v;
    }

    void store(Memory mem, int id, int off, int n, long v) {
        if (pointerField(off, n)) {
            throw new Memory.Fault("invalid write of " + n + " bytes at offset " + off
                    + " of the context: packet pointer fields are read-only");
        }
        if (!mem.writable[id]) {
            throw new Memory.Fault("invalid write of " + n + " bytes at offset " + off + ": the context is read-only");
        }
        if (off < 0 || off > mem.size[id] - n) {
            throw mem.outside(mem.ptr(id, off), n, "write", id);
        }
        byte[] m = mem.arr[id];
        for (int i = 0; i < n; i++) {
            m[mem.start(id) + off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * Writes the {@code __sk_buff} fields helpers change (len, protocol, the VLAN tag, the hash) into the
     * context before a read, as the kernel's context rewrite reads them from the skb.
     */
    private void refreshSkb(Memory mem, int id) {
        if (mem.size[id] < 32) return;
        byte[] m = mem.arr[id];
        int at = mem.start(id);
        VmPacket p = packet;
        put32(m, at, p.length());
        put32(m, at + 4, p.pktType);
        put32(m, at + 16, p.protocol);
        put32(m, at + 20, p.vlanPresent ? 1 : 0);
        put32(m, at + 24, p.vlanPresent ? p.vlanTci : 0);
        put32(m, at + 28, p.vlanPresent ? p.vlanProto : 0);
        if (mem.size[id] >= 72) put32(m, at + 68, p.hash);
    }

    private static void put32(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    /** Maps the packet as a region: from the metadata to data_end. */
    void map(Memory mem) {
        VmPacket p = packet;
        p.regionId = mem.add(p.buffer(), p.meta, p.end - p.meta, true, "packet");
    }

    /** After the packet moved, old pointers must fault (the verifier forgets them) and new ones work. */
    void remap(Memory mem) {
        mem.invalidate(packet.regionId, "packet pointer invalidated by a packet-changing helper");
        map(mem);
    }
}
