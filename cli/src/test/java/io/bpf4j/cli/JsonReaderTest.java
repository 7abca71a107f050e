package io.bpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The command line's JSON reader: what it reads, what it refuses, and that no input gets past it otherwise. */
class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.read("X", " {\"a\": [1, -2.5e3, 18446744073709551615], \"b\": {\"c\": \"\\u0041\\n\"}, \"d\": true,"
                + " \"e\": false, \"f\": null} ");
        assertEquals(Map.of("a", List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), new BigDecimal("18446744073709551615")),
                "b", Map.of("c", "A\n"), "d", true, "e", false), withoutNull(v));
        assertTrue(((Map<?, ?>) v).containsKey("f") && ((Map<?, ?>) v).get("f") == null);
        assertEquals(List.of(), JsonReader.read("X", "[]"));
        assertEquals("x", JsonReader.read("X", "\"x\""));
    }

    private static Object withoutNull(Object v) {
        Map<?, ?> m = new java.util.LinkedHashMap<>((Map<?, ?>) v);
        m.remove("f");
        return m;
    }

    @Test
    void refusesWhatIsNotJsonNamingTheParameterAndPlace() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "\"abc", "tru", "{\"a\":1}x", "{a:1}",
                "\"\\x\"", "{\"a\":1,\"a\":2}", "1e99999", "\"\u0001\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read("VALUE", bad), bad);
            assertTrue(e.getMessage().startsWith("VALUE: not JSON at character "), e.getMessage());
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.read("KEY", deep));
        assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
        assertEquals(1, ((List<?>) JsonReader.read("KEY", "[".repeat(60) + "1" + "]".repeat(60))).size());
    }

    /** Random mutations of valid JSON: each is read or refused with an IllegalArgumentException, nothing else. */
    @Test
    void mutatedInputIsReadOrRefusedCleanly() {
        String seed = "{\"key\":{\"addr\":167772161,\"port\":80},\"value\":[1,-2,3.5e2,\"s\\u00e9\",true,false,null,{}]}";
        Random r = new Random(20261203L);
        String alphabet = "{}[]\":,.-+eE0123456789\\u tfnalrs";
        int read = 0;
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder(seed);
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(b.length() + 1);
                switch (r.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> {
                        if (at < b.length()) b.deleteCharAt(at);
                    }
                    default -> {
                        if (at < b.length()) b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                    }
                }
            }
            try {
                JsonReader.read("X", b.toString());
                read++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("X: not JSON at character "), b + ": " + e.getMessage());
                refused++;
            }
        }
        assertTrue(read > 100 && refused > 100, "read " + read + ", refused " + refused);
    }
}
