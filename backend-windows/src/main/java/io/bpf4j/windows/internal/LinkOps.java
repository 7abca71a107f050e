package io.bpf4j.windows.internal;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.Errno;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkInfo;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkSpec;
import io.bpf4j.api.Operation;
import io.bpf4j.api.QueryResult;
import io.bpf4j.api.QuerySpec;
import io.bpf4j.api.Support;
import io.bpf4j.internal.rules.LinkRules;
import io.bpf4j.internal.rules.ObjRules;
import io.bpf4j.windows.internal.sys.Export;
import io.bpf4j.windows.internal.uapi.Guids;
import io.bpf4j.windows.internal.uapi.WinErrors;
import io.bpf4j.windows.internal.uapi.WinTypes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Links: {@code BPF_LINK_CREATE} and {@link io.bpf4j.windows.WindowsBpf#programAttach} through
 * {@code ebpf_program_attach_by_fds} (eBPF for Windows has no link command in {@code bpf()}), and
 * {@code BPF_PROG_QUERY} answered by walking the links, as {@code bpf_xdp_query_id} itself does
 * (libs/api/libbpf_program.cpp@v1.5.0:673-702).
 *
 * <p>The attach parameters are each hook's: XDP takes the interface index as a {@code u32}; the
 * sock_addr and sock_ops hooks take nothing (every compartment) or a {@code u32} compartment id,
 * any other size being refused (netebpfext/net_ebpf_ext_sock_addr.c@v1.5.0:772-788,
 * net_ebpf_ext_sock_ops.c@v1.5.0:257-269). A zero compartment is sent as no parameter: the
 * sock_ops hook treats only the empty form as the wildcard when deciding who may attach
 * (net_ebpf_ext_sock_ops.c@v1.5.0:257-269, net_ebpf_ext_hook_provider.c@v1.5.0:524-537).
 */
final class LinkOps {
    private static final int XDP = 1;
    private final WinBackend b;

    LinkOps(WinBackend b) {
        this.b = b;
    }

    /** {@code BPF_LINK_CREATE}: {@code target} is the interface index or the compartment id. */
    int create(LinkSpec spec) {
        LinkRules.create(spec);
        b.need(Operation.LINK_CREATE);
        int win = hook(Operation.LINK_CREATE, spec.attachType());
        if (spec.options() != LinkOptions.None.INSTANCE) {
            throw Fail.unsupported(Operation.LINK_CREATE, "not in eBPF for Windows: LinkOptions."
                    + spec.options().getClass().getSimpleName() + " (multi-program anchors, cookies)");
        }
        if (spec.flags() != 0) {
            throw Fail.unsupported(Operation.LINK_CREATE, "not in eBPF for Windows: link flags 0x"
                    + Integer.toHexString(spec.flags()) + (win == XDP
                    ? " (XDP modes: ebpf_program_attach_by_fds takes no flags; the XDP hook chooses the mode)"
                    : ""));
        }
        return attach(Operation.LINK_CREATE, spec.progFd(), win, parameters(win, spec.target()));
    }

    /** {@code WindowsBpf.programAttach}: a null type is the program type's one hook, found here. */
    int programAttach(int progFd, AttachType type, byte[] params) {
        ObjRules.fd(progFd, "progFd");
        b.need(Operation.LINK_CREATE, Export.EBPF_PROGRAM_ATTACH_BY_FDS);
        int win;
        if (type == null) {
            int progType = b.progGetInfo(progFd).rawType();
            win = WinTypes.defaultAttachType(progType);
            if (win == 0) {
                throw new IllegalArgumentException("attachType: null, but a program of Windows type " + progType
                        + " has several hooks or none known to the backend; name the hook");
            }
        } else {
            win = hook(Operation.LINK_CREATE, type);
        }
        return attach(Operation.LINK_CREATE, progFd, win, params == null || params.length == 0 ? null : params);
    }

    /** The Windows number of a supported hook, or unsupported with the capability's reason. */
    private int hook(Operation op, AttachType type) {
        Support s = b.capabilities().attachType(type);
        if (!s.supported()) throw Fail.unsupported(op, s.reason());
        return WinTypes.attachType(type);
    }

    private static byte[] parameters(int win, int target) {
        if (win == XDP) {
            if (target <= 0) throw new IllegalArgumentException("target: XDP links take an interface index, not " + target);
            return u32(target);
        }
        return target == 0 ? null : u32(target);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /**
     * {@code ebpf_program_attach_by_fds} with the hook's GUID, always given: without one efW
     * looks the program up in its own {@code bpf_object} table, where a program loaded through
     * {@code bpf()} never is (see {@code WinTypes.defaultAttachType}).
     */
    private int attach(Operation op, int progFd, int win, byte[] params) {
        UUID guid = b.ext().attachGuid(win).orElseThrow(() -> Fail.unsupported(op,
                "not registered in this eBPF for Windows: attach type " + win + " (its extension is not installed)"));
        Scratch s = b.s();
        ByteBuffer out = s.out();
        Guids.put(out, 16, guid);
        long p = params == null ? 0L : s.put(Scratch.AUX, params, params.length);
        out.putInt(0, -1);
        int r = b.api.ebpfProgramAttachByFds(progFd, s.outAddr + 16, p, params == null ? 0 : params.length, s.outAddr);
        if (r != WinErrors.EBPF_SUCCESS) {
            throw Fail.result(op, "program fd " + progFd, r, Export.EBPF_PROGRAM_ATTACH_BY_FDS.symbol());
        }
        return out.getInt(0);
    }

    /**
     * {@code BPF_PROG_QUERY} for a hook and target: every link whose hook and target match, in id
     * order. Attachments made without a link ({@code BPF_PROG_ATTACH}, {@code bpf_xdp_attach})
     * are links in efW too (libs/api/ebpf_api.cpp@v1.5.0:2012-2018), so they are listed with
     * their link's id. There are no revisions or attach flags.
     */
    QueryResult query(QuerySpec spec) {
        LinkRules.query(spec);
        b.need(Operation.PROG_QUERY);
        if (spec.queryFlags() != 0) {
            throw Fail.unsupported(Operation.PROG_QUERY, "not in eBPF for Windows: BPF_F_QUERY_EFFECTIVE"
                    + " (there is no hierarchy of targets; a link for compartment 0 applies to every compartment)");
        }
        int win = hook(Operation.PROG_QUERY, spec.attachType());
        List<int[]> found = new ArrayList<>();
        for (int id = b.linkGetNextId(0); id != 0; id = b.linkGetNextId(id)) {
            int fd;
            try {
                fd = b.linkGetFdById(id);
            } catch (BpfException e) {
                if (e.errno() == Errno.ENOENT) continue;   // detached since it was listed
                throw e;
            }
            try {
                LinkInfo info = b.linkGetInfo(fd);
                if (matches(info.details(), win, spec)) found.add(new int[] {info.progId(), info.id()});
            } finally {
                b.closeFd(fd);
            }
        }
        int[] progs = new int[found.size()];
        int[] links = new int[found.size()];
        for (int i = 0; i < progs.length; i++) {
            progs[i] = found.get(i)[0];
            links[i] = found.get(i)[1];
        }
        return new QueryResult(0, progs, new int[progs.length], links, new int[progs.length], 0L);
    }

    private static boolean matches(LinkDetails d, int win, QuerySpec spec) {
        if (win == XDP) return d instanceof LinkDetails.Xdp x && x.ifindex() == spec.target();
        return d instanceof LinkDetails.Cgroup c && c.attachType() == spec.attachType() && c.cgroupId() == spec.target();
    }
}
