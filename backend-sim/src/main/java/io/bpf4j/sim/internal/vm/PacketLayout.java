package io.bpf4j.sim.internal.vm;

/**
 * Where a context structure keeps its packet pointer fields, each a 32-bit word the program
 * reads as a pointer into the packet.
 *
 * @param dataField the offset of {@code data}
 * @param dataEndField the offset of {@code data_end}
 * @param metaField the offset of {@code data_meta}, or -1 when the context has none
 */
public record PacketLayout(int dataField, int dataEndField, int metaField) {
    /** {@code struct xdp_md}: data at 0, data_end at 4, data_meta at 8. */
    public static final PacketLayout XDP = new PacketLayout(0, 4, 8);
    /** {@code struct __sk_buff}: data at 76, data_end at 80, data_meta at 140. */
    public static final PacketLayout SKB = new PacketLayout(76, 80, 140);
}
