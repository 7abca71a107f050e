package io.bpf4j.api;

/** How an XDP program runs on a device: the {@code XDP_FLAGS_*_MODE} bits of an XDP link. */
public enum XdpMode {
    /** The driver's native mode where it has one, else generic ({@code 0}). */
    DEFAULT(0),
    /** Generic XDP in the network stack, any device ({@code XDP_FLAGS_SKB_MODE}). */
    GENERIC(1 << 1),
    /** In the driver ({@code XDP_FLAGS_DRV_MODE}). */
    NATIVE(1 << 2),
    /** Offloaded to the NIC ({@code XDP_FLAGS_HW_MODE}). */
    OFFLOAD(1 << 3);

    private final int flags;

    XdpMode(int flags) {
        this.flags = flags;
    }

    /**
     * The link flags for this mode.
     *
     * @return the {@code XDP_FLAGS_*} bits
     */
    public int flags() {
        return flags;
    }
}
