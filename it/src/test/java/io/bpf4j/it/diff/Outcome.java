package io.bpf4j.it.diff;

import io.bpf4j.api.BatchResult;
import io.bpf4j.api.BpfException;
import io.bpf4j.api.BpfUnsupportedException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a step's result or failure as the text the two sides are compared by: values as
 * hex, errors as their portable errno only (messages and raw numbers are the backend's own),
 * rejections in Java by exception class (both sides share the api's checks).
 */
final class Outcome {
    private Outcome() {
    }

    static String of(Step.Action a, Ctx c) {
        try {
            return render(a.run(c));
        } catch (BpfUnsupportedException e) {
            return "unsupported";
        } catch (BpfException e) {
            return e.errno().name();
        } catch (Ctx.NoSuchObject e) {
            return "no " + e.getMessage();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return "rejected " + e.getClass().getSimpleName();
        } catch (Exception | AssertionError e) {
            return "crash " + e;
        }
    }

    static String render(Object o) {
        if (o == null) return "ok";
        if (o instanceof byte[]) return hex((byte[]) o);
        if (o instanceof BatchResult) {
            BatchResult b = (BatchResult) o;
            return "count=" + b.count() + (b.done() ? " done" : "");
        }
        if (o instanceof List) return ((List<?>) o).stream().map(Outcome::render).collect(Collectors.joining(", ", "[", "]"));
        return o.toString();
    }

    static String hex(byte[] b) {
        return b.length == 0 ? "<>" : HexFormat.of().formatHex(b);
    }
}
