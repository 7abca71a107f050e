package io.bpf4j.linux.internal.uapi;

import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkType;
import java.nio.ByteBuffer;

/**
 * Layout and decoder of {@code struct bpf_link_info} (Linux 6.18 uapi): type 0, id 4,
 * prog_id 8, then a union at 16 whose member the type selects.
 *
 * <p>Some members carry a name through a user pointer. Read the info once with every pointer
 * zero to learn the type, then ask {@link #nameSlot} where to put a name buffer and read again.
 */
public final class LinkInfos {
    /** {@code sizeof(struct bpf_link_info)}. */
    public static final int SIZE = 64;

    private LinkInfos() {
    }

    /**
     * Where a link of this kind takes a name buffer: {offset of the pointer, offset of the u32
     * length}, or null when it has no name.
     *
     * @param b the info from a first call (type and perf event kind filled)
     * @return the two offsets, or null
     */
    public static int[] nameSlot(ByteBuffer b) {
        LinkType t = LinuxUapi.linkType(b.getInt(0));
        switch (t) {
            case RAW_TRACEPOINT: // raw_tracepoint.tp_name, tp_name_len
            case ITER:           // iter.target_name, target_name_len
                return new int[] {16, 24};
            case UPROBE_MULTI:   // uprobe_multi.path, path_size
                return new int[] {16, 48};
            case PERF_EVENT: {
                int kind = b.getInt(16); // BPF_PERF_EVENT_*: 1..5 carry a name at 24, its length at 32
                return kind >= 1 && kind <= 5 ? new int[] {24, 32} : null;
            }
            default:
                return null;
        }
    }

    /**
     * Decodes a {@code struct bpf_link_info}.
     *
     * @param b the filled struct
     * @param name the name read through {@link #nameSlot}, or null
     * @return the record
     */
    public static LinkInfo decode(ByteBuffer b, String name) {
        int rawType = b.getInt(0);
        LinkType type = LinuxUapi.linkType(rawType);
        String n = name == null ? "" : name;
        LinkDetails d;
        switch (type) {
            case RAW_TRACEPOINT:
                d = new LinkDetails.RawTracepoint(n, b.getLong(32)); // tp_name 16, tp_name_len 24, cookie 32
                break;
            case TRACING:
                // attach_type 16, target_obj_id 20, target_btf_id 24, cookie 32
                d = new LinkDetails.Tracing(LinuxUapi.attachType(b.getInt(16)), b.getInt(20), b.getInt(24), b.getLong(32));
                break;
            case CGROUP:
                d = new LinkDetails.Cgroup(b.getLong(16), LinuxUapi.attachType(b.getInt(24)));
                break;
            case ITER:
                d = new LinkDetails.Iter(n, b.getInt(28));
                break;
            case NETNS:
                d = new LinkDetails.Netns(b.getInt(16), LinuxUapi.attachType(b.getInt(20)));
                break;
            case XDP:
                d = new LinkDetails.Xdp(b.getInt(16));
                break;
            case PERF_EVENT:
                d = perfEvent(b, n);
                break;
            case KPROBE_MULTI:
                d = new LinkDetails.KprobeMulti(b.getInt(24), b.getInt(28), b.getLong(32));
                break;
            case STRUCT_OPS:
                d = new LinkDetails.StructOps(b.getInt(16));
                break;
            case NETFILTER:
                d = new LinkDetails.Netfilter(b.getInt(16), b.getInt(20), b.getInt(24), b.getInt(28));
                break;
            case TCX:
                d = new LinkDetails.Tcx(b.getInt(16), LinuxUapi.attachType(b.getInt(20)));
                break;
            case UPROBE_MULTI:
                d = new LinkDetails.UprobeMulti(n, b.getInt(52), b.getInt(56), b.getInt(60));
                break;
            case NETKIT:
                d = new LinkDetails.Netkit(b.getInt(16), LinuxUapi.attachType(b.getInt(20)));
                break;
            case SOCKMAP:
                d = new LinkDetails.Sockmap(b.getInt(16), LinuxUapi.attachType(b.getInt(20)));
                break;
            default:
                d = LinkDetails.None.INSTANCE;
        }
        return new LinkInfo(type, rawType, b.getInt(4), b.getInt(8), d);
    }

    private static LinkDetails perfEvent(ByteBuffer b, String name) {
        int kind = b.getInt(16);
        long cookie;
        switch (kind) {
            case 3: // kprobe
            case 4: // kretprobe: func_name 24, name_len 32, offset 36, addr 40, missed 48, cookie 56
                cookie = b.getLong(56);
                break;
            default: // uprobe (cookie 40), tracepoint (cookie 40), event (cookie 40)
                cookie = b.getLong(40);
        }
        return new LinkDetails.PerfEvent(kind, name, cookie);
    }
}
