package io.bpf4j.it.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bpf4j.api.AttachType;
import io.bpf4j.api.Attachments;
import io.bpf4j.api.BpfLink;
import io.bpf4j.api.BpfMap;
import io.bpf4j.api.BpfProgram;
import io.bpf4j.api.LinkDetails;
import io.bpf4j.api.LinkOptions;
import io.bpf4j.api.LinkType;
import io.bpf4j.api.MapSpec;
import io.bpf4j.api.MapType;
import io.bpf4j.api.ProgramSpec;
import io.bpf4j.api.ProgramType;
import io.bpf4j.api.asm.Asm;
import io.bpf4j.it.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * A netfilter link in a test namespace sees that namespace's outgoing packets (and its info
 * says where it hangs); sockmap programs attach to a sockmap with {@code BPF_PROG_ATTACH}, are
 * listed by query, and detach.
 */
class NetfilterSockmapTest extends KernelTest {
    private static final int NFPROTO_IPV4 = 2;
    private static final int NF_INET_LOCAL_OUT = 3;
    private static final int NF_ACCEPT = 1;

    @Test
    void netfilterLinkCountsTheNamespacesOutgoingPackets() {
        try (NetnsPair net = new NetnsPair(); Counters c = new Counters(bpf, 1)) {
            long[] insns = Progs.count(new Asm(), c.fd(), 0, "").mov64(io.bpf4j.api.asm.Register.R0, NF_ACCEPT).exit()
                    .toArray();
            try (BpfProgram p = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.NETFILTER, insns, "GPL")
                    .withExpectedAttachType(AttachType.NETFILTER))) {
                LinkOptions.Netfilter at = new LinkOptions.Netfilter(NFPROTO_IPV4, NF_INET_LOCAL_OUT, -50, 0);
                try (BpfLink link = net.inA(() -> p.attachNetfilter(at))) {
                    assertEquals(LinkType.NETFILTER, link.info().type());
                    assertEquals(new LinkDetails.Netfilter(NFPROTO_IPV4, NF_INET_LOCAL_OUT, -50, 0), link.info().details());
                    net.pingBFromA(3);
                    assertEquals(3, c.get(0), "the three echo requests a sends; the hook is a's only");
                }
                net.pingBFromA(1);
                assertEquals(3, c.get(0), "the link is closed");
            }
        }
    }

    @Test
    void sockmapProgramsAttachWithProgAttach() {
        try (BpfMap map = BpfMap.create(bpf, MapSpec.of(MapType.SOCKMAP, 4, 4, 4));
                BpfProgram parser = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SK_SKB, Progs.returning(0), "GPL")
                        .withExpectedAttachType(AttachType.SK_SKB_STREAM_PARSER));
                BpfProgram verdict = BpfProgram.load(bpf, ProgramSpec.of(ProgramType.SK_SKB, Progs.returning(1), "GPL")
                        .withExpectedAttachType(AttachType.SK_SKB_STREAM_VERDICT))) {
            parser.attachToMap(map, AttachType.SK_SKB_STREAM_PARSER);
            verdict.attachToMap(map, AttachType.SK_SKB_STREAM_VERDICT);
            assertArrayEquals(new int[] {verdict.info().id()}, Attachments.query(map, AttachType.SK_SKB_STREAM_VERDICT).programIds());
            assertArrayEquals(new int[] {parser.info().id()}, Attachments.query(map, AttachType.SK_SKB_STREAM_PARSER).programIds());
            verdict.detach(map.fd(), AttachType.SK_SKB_STREAM_VERDICT);
            parser.detach(map.fd(), AttachType.SK_SKB_STREAM_PARSER);
            assertTrue(Attachments.query(map, AttachType.SK_SKB_STREAM_VERDICT).isEmpty());
        }
    }
}
