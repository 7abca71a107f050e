package io.bpf4j.windows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bpf4j.api.BpfUnsupportedException;
import io.bpf4j.api.Operation;
import io.bpf4j.windows.internal.sys.EbpfApi;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** eBPF for Windows has no BTF: reading a BTF object's bytes is refused with that reason, before any native call. */
class BtfDataUnsupportedTest {

    @Test
    void btfGetDataIsUnsupportedWithTheReason() {
        AtomicInteger calls = new AtomicInteger();
        EbpfApi api = (EbpfApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EbpfApi.class}, (p, m, a) -> {
            if (m.getName().equals("has")) return true;
            if (m.getName().equals("name")) return "fake";
            if (m.getName().equals("libbpfNumPossibleCpus")) return 4;
            calls.incrementAndGet();
            if (m.getReturnType() == long.class) return 0L;
            if (m.getReturnType() == int.class) return -22;
            if (m.getReturnType() == boolean.class) return false;
            return null;
        });
        WinBackend w = new WinBackend(api, null);
        int before = calls.get();
        BpfUnsupportedException e = assertThrows(BpfUnsupportedException.class, () -> w.btfGetData(3));
        assertEquals(Operation.OBJ_GET_INFO_BY_FD, e.operation());
        assertEquals("not in eBPF for Windows: there is no BTF", e.reason());
        assertEquals(before, calls.get(), "no native call");
    }
}
