package io.bpf4j.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bpf4j.testsupport.Need;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The context offsets against a C compiler: the structs are declared here with the fields, types
 * and order of eBPF for Windows' headers (include/ebpf_nethooks.h@v1.5.0:24-33, :121-152,
 * :279-304; tests/include/xdp_hooks.h@v1.5.0:7-16), and gcc lays them out. On x86-64 every one
 * of these fields has the same natural alignment under the System V and the Windows x64 ABI,
 * so gcc's offsets are MSVC's.
 */
class WindowsContextsTest {
    private static final String C = """
            #include <stddef.h>
            #include <stdint.h>
            #include <stdio.h>
            typedef struct { uint8_t *app_id_start, *app_id_end; uint64_t process_id; uint8_t socket_address[16];
                uint8_t socket_address_length; int operation; uint8_t protocol; } bind_md_t;
            typedef struct { uint32_t family;
                struct { union { uint32_t msg_src_ip4; uint32_t msg_src_ip6[4]; }; uint16_t msg_src_port; };
                struct { union { uint32_t user_ip4; uint32_t user_ip6[4]; }; uint16_t user_port; };
                uint32_t protocol; uint32_t compartment_id; uint64_t interface_luid; } bpf_sock_addr_t;
            typedef struct { int op; uint32_t family;
                struct { union { uint32_t local_ip4; uint32_t local_ip6[4]; }; uint32_t local_port; };
                struct { union { uint32_t remote_ip4; uint32_t remote_ip6[4]; }; uint32_t remote_port; };
                uint8_t protocol; uint32_t compartment_id; uint64_t interface_luid; } bpf_sock_ops_t;
            typedef struct { void *data; void *data_end; uint64_t data_meta; uint32_t ingress_ifindex; } xdp_md_t;
            #define P(s, f) printf(#s "." #f " %zu\\n", offsetof(s, f))
            int main(void) {
                P(bind_md_t, app_id_end); P(bind_md_t, process_id); P(bind_md_t, socket_address);
                P(bind_md_t, socket_address_length); P(bind_md_t, operation); P(bind_md_t, protocol);
                printf("bind_md_t.size %zu\\n", sizeof(bind_md_t));
                P(bpf_sock_addr_t, msg_src_ip4); P(bpf_sock_addr_t, msg_src_port); P(bpf_sock_addr_t, user_ip4);
                P(bpf_sock_addr_t, user_port); P(bpf_sock_addr_t, protocol); P(bpf_sock_addr_t, compartment_id);
                P(bpf_sock_addr_t, interface_luid); printf("bpf_sock_addr_t.size %zu\\n", sizeof(bpf_sock_addr_t));
                P(bpf_sock_ops_t, family); P(bpf_sock_ops_t, local_ip4); P(bpf_sock_ops_t, local_port);
                P(bpf_sock_ops_t, remote_ip6); P(bpf_sock_ops_t, remote_port); P(bpf_sock_ops_t, protocol);
                P(bpf_sock_ops_t, compartment_id); P(bpf_sock_ops_t, interface_luid);
                printf("bpf_sock_ops_t.size %zu\\n", sizeof(bpf_sock_ops_t));
                P(xdp_md_t, data_end); P(xdp_md_t, data_meta); P(xdp_md_t, ingress_ifindex);
                return 0;
            }
            """;

    @Test
    void offsetsAreTheCompilersOnX64(@TempDir Path dir) throws Exception {
        Need.tool("gcc");
        Need.that("amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch")),
                "the layouts are checked on x86-64, whose alignment rules Windows x64 shares");
        Files.writeString(dir.resolve("l.c"), C);
        Process cc = new ProcessBuilder("gcc", "-std=c11", "-o", dir.resolve("l").toString(), dir.resolve("l.c").toString())
                .redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes());
        assertEquals(0, cc.waitFor(), out);
        Process run = new ProcessBuilder(dir.resolve("l").toString()).start();
        Map<String, Integer> o = new HashMap<>();
        for (String line : new String(run.getInputStream().readAllBytes()).split("\n")) {
            String[] kv = line.split(" ");
            o.put(kv[0], Integer.parseInt(kv[1]));
        }
        assertEquals(0, run.waitFor());
        assertEquals(o.get("bind_md_t.app_id_end"), WindowsContexts.Bind.APP_ID_END);
        assertEquals(o.get("bind_md_t.process_id"), WindowsContexts.Bind.PROCESS_ID);
        assertEquals(o.get("bind_md_t.socket_address"), WindowsContexts.Bind.SOCKET_ADDRESS);
        assertEquals(o.get("bind_md_t.socket_address_length"), WindowsContexts.Bind.SOCKET_ADDRESS_LENGTH);
        assertEquals(o.get("bind_md_t.operation"), WindowsContexts.Bind.OPERATION);
        assertEquals(o.get("bind_md_t.protocol"), WindowsContexts.Bind.PROTOCOL);
        assertEquals(o.get("bind_md_t.size"), WindowsContexts.Bind.SIZE);
        assertEquals(o.get("bpf_sock_addr_t.msg_src_ip4"), WindowsContexts.SockAddr.MSG_SRC_IP4);
        assertEquals(o.get("bpf_sock_addr_t.msg_src_port"), WindowsContexts.SockAddr.MSG_SRC_PORT);
        assertEquals(o.get("bpf_sock_addr_t.user_ip4"), WindowsContexts.SockAddr.USER_IP4);
        assertEquals(o.get("bpf_sock_addr_t.user_port"), WindowsContexts.SockAddr.USER_PORT);
        assertEquals(o.get("bpf_sock_addr_t.protocol"), WindowsContexts.SockAddr.PROTOCOL);
        assertEquals(o.get("bpf_sock_addr_t.compartment_id"), WindowsContexts.SockAddr.COMPARTMENT_ID);
        assertEquals(o.get("bpf_sock_addr_t.interface_luid"), WindowsContexts.SockAddr.INTERFACE_LUID);
        assertEquals(o.get("bpf_sock_addr_t.size"), WindowsContexts.SockAddr.SIZE);
        assertEquals(o.get("bpf_sock_ops_t.family"), WindowsContexts.SockOps.FAMILY);
        assertEquals(o.get("bpf_sock_ops_t.local_ip4"), WindowsContexts.SockOps.LOCAL_IP4);
        assertEquals(o.get("bpf_sock_ops_t.local_port"), WindowsContexts.SockOps.LOCAL_PORT);
        assertEquals(o.get("bpf_sock_ops_t.remote_ip6"), WindowsContexts.SockOps.REMOTE_IP6);
        assertEquals(o.get("bpf_sock_ops_t.remote_port"), WindowsContexts.SockOps.REMOTE_PORT);
        assertEquals(o.get("bpf_sock_ops_t.protocol"), WindowsContexts.SockOps.PROTOCOL);
        assertEquals(o.get("bpf_sock_ops_t.compartment_id"), WindowsContexts.SockOps.COMPARTMENT_ID);
        assertEquals(o.get("bpf_sock_ops_t.interface_luid"), WindowsContexts.SockOps.INTERFACE_LUID);
        assertEquals(o.get("bpf_sock_ops_t.size"), WindowsContexts.SockOps.SIZE);
        assertEquals(o.get("xdp_md_t.data_end"), WindowsContexts.Xdp.DATA_END);
        assertEquals(o.get("xdp_md_t.data_meta"), WindowsContexts.Xdp.DATA_META);
        assertEquals(o.get("xdp_md_t.ingress_ifindex"), WindowsContexts.Xdp.INGRESS_IFINDEX);
    }
}
