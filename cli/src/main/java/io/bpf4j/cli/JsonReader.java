package io.bpf4j.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of one JSON value (RFC 8259), for typed keys and values given on the command
 * line. Objects become ordered {@code Map}s, arrays {@code List}s, numbers {@code BigDecimal}s
 * (so 64-bit values keep every digit), and {@code true}/{@code false}/{@code null} themselves.
 * The JDK has no JSON reader and the command needs only this much, so no library is added.
 */
final class JsonReader {
    /** Nesting deeper than this is refused rather than risking the stack on hostile input. */
    private static final int MAX_DEPTH = 64;

    private final String what;
    private final String s;
    private int i;

    private JsonReader(String what, String s) {
        this.what = what;
        this.s = s;
    }

    /**
     * Reads the whole of {@code text} as one JSON value.
     *
     * @param what the parameter, named in the message of an {@code IllegalArgumentException}
     * @param text the JSON
     */
    static Object read(String what, String text) {
        JsonReader r = new JsonReader(what, text);
        Object v = r.value(0);
        r.space();
        if (r.i != text.length()) throw r.error("text after the value");
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH);
        space();
        if (i >= s.length()) throw error("a value is missing");
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            space();
            if (peek() != '"') throw error("a member name in quotes is expected");
            String name = string();
            space();
            expect(':');
            if (m.containsKey(name)) throw error("member \"" + name + "\" is given twice");
            m.put(name, value(depth + 1));
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value(depth + 1));
            space();
            if (peek() == ',') {
                i++;
            } else {
                expect(']');
                return l;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) throw error("a string is not closed");
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw error("a control character in a string");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) throw error("a string is not closed");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) throw error("a \\u escape is cut short");
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("a \\u escape is not hex");
                    }
                    i += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private BigDecimal number() {
        int start = i;
        if (peek() == '-') i++;
        if (peek() == '0') {
            i++;
        } else if (peek() >= '1' && peek() <= '9') {
            digits();
        } else {
            throw error("unexpected '" + (i < s.length() ? s.charAt(i) : ' ') + "'");
        }
        if (peek() == '.') {
            i++;
            if (!(peek() >= '0' && peek() <= '9')) throw error("digits are expected after '.'");
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') i++;
            if (!(peek() >= '0' && peek() <= '9')) throw error("digits are expected in the exponent");
            int expStart = i;
            digits();
            if (i - expStart > 4) throw error("the exponent is too large");
        }
        return new BigDecimal(s.substring(start, i));
    }

    private void digits() {
        while (peek() >= '0' && peek() <= '9') i++;
    }

    private Object word(String w, Object v) {
        if (!s.startsWith(w, i)) throw error("unexpected '" + s.charAt(i) + "'");
        i += w.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) throw error("'" + c + "' is expected");
        i++;
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) i++;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException(what + ": not JSON at character " + (i + 1) + ": " + why);
    }
}
