package io.bpf4j.sim.internal.vm;

import java.util.Arrays;
import java.util.Objects;

/**
 * A packet as an skb or XDP program sees it: bytes in a buffer with headroom before and
 * tailroom after, which {@code bpf_xdp_adjust_head} / {@code bpf_xdp_adjust_tail} move into and
 * out of. After a run, {@link #dataOffset()} and {@link #length()} say where the (possibly
 * rewritten) packet now lies in {@link #buffer()}.
 */
public final class VmPacket {
    private final byte[] buffer;
    int meta;
    int data;
    int end;
    /** The packet's region in the current run, 0 when not mapped. */
    int regionId;

    /**
     * Wraps a buffer.
     *
     * @param buffer the buffer, used in place
     * @param dataOffset where the packet starts (the headroom before it)
     * @param length the packet length
     */
    public VmPacket(byte[] buffer, int dataOffset, int length) {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        if (dataOffset < 0 || dataOffset > buffer.length) {
            throw new IllegalArgumentException("dataOffset: " + dataOffset + " is not in 0.." + buffer.length);
        }
        if (length < 0 || length > buffer.length - dataOffset) {
            throw new IllegalArgumentException("length: " + length + " does not fit the buffer after dataOffset");
        }
        this.meta = dataOffset;
        this.data = dataOffset;
        this.end = dataOffset + length;
    }

    /**
     * Copies a packet into a new buffer with the given head- and tailroom.
     *
     * @param packet the packet bytes
     * @param headroom bytes before the packet (XDP: {@code XDP_PACKET_HEADROOM}, 256)
     * @param tailroom bytes after the packet
     * @return the packet
     */
    public static VmPacket of(byte[] packet, int headroom, int tailroom) {
        byte[] buf = new byte[headroom + packet.length + tailroom];
        System.arraycopy(packet, 0, buf, headroom, packet.length);
        return new VmPacket(buf, headroom, packet.length);
    }

    /**
     * The whole buffer, headroom and tailroom included.
     *
     * @return the live buffer
     */
    public byte[] buffer() {
        return buffer;
    }

    /**
     * Where the packet starts in the buffer.
     *
     * @return the offset of the first packet byte
     */
    public int dataOffset() {
        return data;
    }

    /**
     * Where the metadata area ({@code bpf_xdp_adjust_meta}) starts; equal to
     * {@link #dataOffset()} when there is none.
     *
     * @return the offset of the metadata
     */
    public int metaOffset() {
        return meta;
    }

    /**
     * The packet length.
     *
     * @return {@code data_end - data}
     */
    public int length() {
        return end - data;
    }

    /**
     * A copy of the packet bytes.
     *
     * @return the bytes from data to data_end
     */
    public byte[] bytes() {
        return Arrays.copyOfRange(buffer, data, end);
    }
}
