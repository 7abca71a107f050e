package io.bpf4j.windows.internal.uapi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.UUID;

/**
 * The program-type and attach-type GUIDs of {@code include/ebpf_program_attach_type_guids.h},
 * keyed by Windows number; the line of each is cited at v1.5.0. Release-v0.21.0 has the same
 * values for the types it has; attach types 12 to 17 first appear at v1.3.0. eBPF for Windows does not
 * compile the number-to-GUID mapping into its API: it reads the extensions' registrations
 * (libs/api_common/windows_platform_common.cpp@v1.5.0:430-454), so these are for decoding and
 * checking; at run time the backend asks {@code ebpf_get_ebpf_attach_type}. A GUID is 16 bytes:
 * {@code u32, u16, u16} little-endian, then 8 bytes in order.
 */
public final class Guids {
    /** Size of a {@code GUID}. */
    public static final int SIZE = 16;

    private static final Map<Integer, UUID> PROGRAM_TYPES = Map.of(
            1, UUID.fromString("f1832a85-85d5-45b0-98a0-7069d63013b0"),      // :197
            2, UUID.fromString("608c517c-6c52-4a26-b677-bb1c34425adf"),      // :212
            3, UUID.fromString("92ec8e39-aeec-11ec-9a30-18602489beee"),      // :227
            4, UUID.fromString("43fb224d-68f8-46d6-aa3f-c856518cbb32"),      // :247
            999, UUID.fromString("f788ef4a-207d-4dc3-85cf-0f2ea107213c"),    // :258
            998, UUID.fromString("ce8ccef8-4241-4975-984d-bb3921dfa73c"));   // :270, XDP_TEST

    private static final Map<Integer, UUID> ATTACH_TYPES = Map.ofEntries(
            Map.entry(1, UUID.fromString("85e0d8ef-579e-4931-b072-8ee226bb2e9d")),     // :22
            Map.entry(2, UUID.fromString("b9707e04-8127-4c72-833e-05b1fb439496")),     // :26
            Map.entry(3, UUID.fromString("a82e37b1-aee7-11ec-9a30-18602489beee")),     // :36
            Map.entry(4, UUID.fromString("a82e37b2-aee7-11ec-9a30-18602489beee")),     // :62
            Map.entry(5, UUID.fromString("a82e37b3-aee7-11ec-9a30-18602489beee")),     // :88
            Map.entry(6, UUID.fromString("a82e37b4-aee7-11ec-9a30-18602489beee")),     // :101
            Map.entry(7, UUID.fromString("837d02cd-3251-4632-8d94-60d3b45769f2")),     // :114
            Map.entry(8, UUID.fromString("f788ef4b-207d-4dc3-85cf-0f2ea107213c")),     // :170, SAMPLE
            Map.entry(9, UUID.fromString("0dccc15d-a5f9-4dc1-ac79-fa25eef215c3")),     // :181, XDP_TEST
            Map.entry(12, UUID.fromString("6076c13a-f04f-4ff8-8380-908553f22276")),    // :49
            Map.entry(13, UUID.fromString("54b0b6ed-432a-4674-8b27-8d9f5b40c675")),    // :75
            Map.entry(14, UUID.fromString("0d7ce21a-7773-405c-93b6-d5bfb92e74bc")),    // :124
            Map.entry(15, UUID.fromString("81de64c0-2973-468d-8382-6769f033d759")),    // :136
            Map.entry(16, UUID.fromString("e1b0cb3d-d70c-4ee2-b23a-0742bedb06d6")),    // :148
            Map.entry(17, UUID.fromString("4e72f92e-5ed0-4fe5-b851-b124fe14074d")));   // :159

    private Guids() {
    }

    /**
     * A program type's GUID.
     *
     * @param winProgType the Windows number
     * @return the GUID, or null when the header has none (NETEVENT and PROCESS live in ntosebpfext)
     */
    public static UUID programType(int winProgType) {
        return PROGRAM_TYPES.get(winProgType);
    }

    /**
     * An attach type's GUID.
     *
     * @param winAttachType the Windows number
     * @return the GUID, or null
     */
    public static UUID attachType(int winAttachType) {
        return ATTACH_TYPES.get(winAttachType);
    }

    /**
     * Writes a GUID in its in-memory form.
     *
     * @param b the buffer (any byte order)
     * @param off where
     * @param g the GUID
     */
    public static void put(ByteBuffer b, int off, UUID g) {
        long hi = g.getMostSignificantBits();
        long lo = g.getLeastSignificantBits();
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        le.putInt(off, (int) (hi >>> 32));
        le.putShort(off + 4, (short) (hi >>> 16));
        le.putShort(off + 6, (short) hi);
        for (int i = 0; i < 8; i++) b.put(off + 8 + i, (byte) (lo >>> (56 - 8 * i)));
    }

    /**
     * Reads a GUID from its in-memory form.
     *
     * @param b the buffer
     * @param off where
     * @return the GUID; all zeroes when the field is empty
     */
    public static UUID get(ByteBuffer b, int off) {
        ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long d1 = le.getInt(off) & 0xffffffffL;
        long d2 = le.getShort(off + 4) & 0xffffL;
        long d3 = le.getShort(off + 6) & 0xffffL;
        long lo = 0;
        for (int i = 0; i < 8; i++) lo = (lo << 8) | (b.get(off + 8 + i) & 0xff);
        return new UUID((d1 << 32) | (d2 << 16) | d3, lo);
    }
}
