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
    private byte[] buffer;
    /**
     * The skb's metadata that helpers change and the program reads through {@code __sk_buff}:
     * {@code protocol} and {@code vlan_proto} as the u32 the program reads (network byte order in
     * the low half), the hardware-accelerated VLAN tag, and the network header's offset from
     * {@code data} (-1 when the skb has none).
     */
    int protocol;
    boolean vlanPresent;
    int vlanTci;
    int vlanProto;
    int netOff = -1;
    /** {@code skb->pkt_type}, and the checksum state: {@code CHECKSUM_UNNECESSARY} (else NONE) and its level. */
    int pktType;
    boolean csumUnnecessary;
    int csumLevel;
    /**
     * {@code skb->hash} and whether a program set it ({@code sw_hash}: the flow dissector then
     * leaves it alone), and {@code skb_shinfo(skb)->gso_size} from a test run's context.
     */
    int hash;
    boolean swHash;
    int gsoSize;
    /**
     * The skb's headroom ({@code skb_headroom()}, -1 when not modelled) and its transport header
     * as the kernel keeps it, a 16-bit offset from the head with {@code 0xffff} for unset: a
     * reallocated head ({@code pskb_expand_head()}) moves it by the bytes added in front, even
     * when unset, which then counts as set.
     */
    int headroom = -1;
    int transport = 0xffff;
    /**
     * The fragments of a multi-buffer XDP frame after the linear part, one page each at most,
     * or null; {@link #fragLen} says how many bytes each holds.
     */
    byte[][] frags;
    int[] fragLen;
    /** Whether {@link #protocol} and the other skb fields were set (else they come from the context). */
    boolean skbState;
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
     * Sets the skb metadata a run starts with.
     *
     * @param protocol {@code skb->protocol} as the program reads it (network byte order in the low half)
     * @param networkOffset the network header's offset from the packet start, -1 for none
     */
    public void skb(int protocol, int networkOffset) {
        skb(protocol, networkOffset, 0);
    }

    /**
     * Sets the skb metadata a run starts with, with its packet type.
     *
     * @param protocol {@code skb->protocol} as the program reads it (network byte order in the low half)
     * @param networkOffset the network header's offset from the packet start, -1 for none
     * @param pktType {@code skb->pkt_type} ({@code PACKET_HOST} 0 ... {@code PACKET_OTHERHOST} 3)
     */
    public void skb(int protocol, int networkOffset, int pktType) {
        this.pktType = pktType;
        this.protocol = protocol;
        this.netOff = networkOffset;
        this.skbState = true;
    }

    /**
     * Sets {@code skb_shinfo(skb)->gso_size}, which a test run's context may give: a non-zero
     * size makes the skb a GSO packet (with no GSO type).
     *
     * @param size the segment size
     */
    public void gsoSize(int size) {
        this.gsoSize = size;
    }

    /**
     * Sets the skb's headroom, from which head growth is modelled ({@code NET_SKB_PAD} for a test
     * run's skb).
     *
     * @param bytes the headroom
     */
    public void headroom(int bytes) {
        this.headroom = bytes;
    }

    /** {@code skb_cow()} / {@code skb_cow_head()}: a head short of {@code n} bytes grows by them rounded up to 64. */
    void cowHead(int n) {
        if (headroom < 0 || n <= headroom) return;
        int nhead = (n - headroom + 63) & ~63;
        headroom += nhead;
        transport = (transport + nhead) & 0xffff;
    }

    /**
     * The data start moved by {@code delta} bytes (negative: pushed) with the network header,
     * which {@code bpf_skb_net_hdr_push/pop()} do: a transport header equal to the network
     * header follows it.
     */
    void moveWithNetwork(int delta) {
        if (headroom < 0) return;
        boolean same = transport == headroom + netOff;
        headroom += delta;
        if (same) transport = headroom + netOff;
    }

    /** The data start moved by {@code delta} bytes; the headers stay where they are in the buffer. */
    void moveData(int delta) {
        if (headroom >= 0) headroom += delta;
    }

    /** {@code __bpf_skb_min_len()}: the network or transport header's offset, whichever is further. */
    int minLen() {
        int min = Math.max(netOff, 0);
        if (headroom >= 0 && transport != 0xffff) min = Math.max(min, transport - headroom);
        return min;
    }

    /**
     * Makes the first bytes of the packet its metadata ({@code xdp_md.data} of a test run's
     * context): {@code data} moves forward, {@code data_meta} stays.
     *
     * @param length the metadata length
     */
    public void metadata(int length) {
        if (length < 0 || length > end - data) {
            throw new IllegalArgumentException("length: " + length + " is not in 0.." + (end - data));
        }
        data += length;
    }

    /**
     * Moves the packet's start past its first bytes, which stay in the buffer before it (as
     * {@code eth_type_trans()} leaves the Ethernet header before {@code skb->data}).
     *
     * @param n the bytes to pull
     */
    public void pull(int n) {
        if (n < 0 || n > end - data) throw new IllegalArgumentException("n: " + n + " is not in 0.." + (end - data));
        data += n;
        meta = data;
    }

    /**
     * Adds the fragments of a multi-buffer XDP frame (the bytes after the linear part).
     *
     * @param pages one byte array per fragment (a page each)
     * @param lengths the bytes used in each
     */
    public void frags(byte[][] pages, int[] lengths) {
        this.frags = pages.clone();
        this.fragLen = lengths.clone();
    }

    /**
     * The bytes in fragments.
     *
     * @return 0 for a single-buffer packet
     */
    public int fragsLength() {
        int n = 0;
        if (fragLen != null) for (int l : fragLen) n += l;
        return n;
    }

    /**
     * The fragments' bytes, in order.
     *
     * @return the bytes after the linear part
     */
    public byte[] fragBytes() {
        byte[] out = new byte[fragsLength()];
        int o = 0;
        if (frags != null) {
            for (int i = 0; i < frags.length; i++) {
                System.arraycopy(frags[i], 0, out, o, fragLen[i]);
                o += fragLen[i];
            }
        }
        return out;
    }

    /**
     * Whether the skb holds a hardware-accelerated VLAN tag ({@code bpf_skb_vlan_push}).
     *
     * @return true when a tag is present
     */
    public boolean vlanPresent() {
        return vlanPresent;
    }

    /** Moves the packet into a larger buffer, with at least this head- and tailroom. */
    void grow(int headroom, int tailroom) {
        int head = Math.max(headroom, meta);
        int tail = Math.max(tailroom, buffer.length - end);
        if (head == meta && tail == buffer.length - end) return;
        byte[] nb = new byte[head + (end - meta) + tail];
        System.arraycopy(buffer, meta, nb, head, end - meta);
        int shift = head - meta;
        buffer = nb;
        meta += shift;
        data += shift;
        end += shift;
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
