package io.bpf4j.it.diff;

import java.util.List;
import java.util.regex.Pattern;

/** The packet-program differences backend-sim/README.md lists, recognised in a minimised report. */
final class KnownPacketDifferences {
    private KnownPacketDifferences() {
    }

    private static final Pattern GROW_THEN_TAIL = Pattern.compile("skb_adjust_room\\(ctx, [1-9][0-9]*, .*skb_change_tail\\(ctx, ");
    private static final String EINVAL = "ffffffffffffffea";

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    static final List<Minimized.KnownDifference> LIST = List.of(
            new Minimized.KnownDifference("`skb_change_tail` after `skb_adjust_room` grew the packet",
                    r -> GROW_THEN_TAIL.matcher(r.scenario().steps.get(1).what()).find()
                            && count(r.linux(4), EINVAL) > count(r.sim(4), EINVAL)));
}
