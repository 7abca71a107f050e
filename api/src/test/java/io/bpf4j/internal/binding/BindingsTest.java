package io.bpf4j.internal.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import org.junit.jupiter.api.Test;

/** The binding policy, with loaders that stand for FFM and JNA (the tests run on JDK 22+). */
class BindingsTest {
    private static final Bindings.Loader<String> FFM = () -> "ffm";
    private static final Bindings.Loader<String> JNA = () -> "jna";

    @Test
    void ffmFirstJnaWhenForced() {
        assertEquals("ffm", Bindings.choose(null, "m", FFM, JNA, null).binding());
        assertEquals("jna", Bindings.choose(" JNA ", "m", FFM, JNA, null).binding());
        assertEquals("ffm", Bindings.choose("ffm", "m", FFM, () -> { throw new AssertionError("not called"); }, null).binding());
    }

    @Test
    void anUnknownModeIsNamed() {
        Bindings.Choice<String> c = Bindings.choose("panama", "m", FFM, JNA, null);
        assertNull(c.binding());
        assertEquals("-Dbpf4j.native=panama is neither ffm nor jna", c.reason());
    }

    @Test
    void deniedNativeAccessNamesTheFlagAndFallsBackToJna() {
        Bindings.Loader<String> denied = () -> {
            throw new InvocationTargetException(new IllegalCallerException("restricted"));
        };
        Bindings.Choice<String> fallback = Bindings.choose(null, "io.bpf4j.linux", denied, JNA, null);
        assertEquals("jna", fallback.binding(), "JNA is on the test class path");
        Bindings.Choice<String> insisted = Bindings.choose("ffm", "io.bpf4j.linux", denied, JNA, null);
        assertNull(insisted.binding());
        assertTrue(insisted.reason().contains("--enable-native-access=io.bpf4j.linux"), insisted.reason());
        assertTrue(insisted.cause() instanceof IllegalCallerException);
    }

    @Test
    void bothFailingGiveBothReasonsAndABackendCanWordItsOwn() {
        RuntimeException jnaBroke = new UnsupportedOperationException("no symbol");
        Bindings.Choice<String> c = Bindings.choose(null, "m", () -> { throw new IllegalArgumentException("bad path"); },
                () -> { throw jnaBroke; }, (kind, e) -> kind.equals("FFM") ? "cannot load x: " + e.getMessage() : null);
        assertNull(c.binding());
        assertEquals("cannot load x: bad path; JNA binding failed: " + jnaBroke, c.reason());
        assertSame(jnaBroke, c.cause());
    }
}
