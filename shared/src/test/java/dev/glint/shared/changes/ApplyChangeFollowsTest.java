package dev.glint.shared.changes;

import dev.glint.shared.ids.Ids;
import dev.glint.shared.reports.RollupStore;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import dev.glint.shared.social.PostStore;
import dev.glint.shared.social.TagStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.glint.shared.testing.Ports.only;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the stream processor tells of follows: a follow to its followee; a request to a private account's owner;
 * an approved request to both, the follower that it was approved. Never across a block or from someone muted.
 */
class ApplyChangeFollowsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final List<String> told = new ArrayList<>();

    private ApplyChange applyChange(Set<String> hiddenPairs) {
        NotificationStore notifications = only(NotificationStore.class, (name, args) -> {
            Notification n = (Notification) args[1];
            told.add(args[0] + ":" + n.kind() + ":" + n.actorId() + ":" + n.subjectId());
            return true;
        });
        return new ApplyChange(only(PostStore.class, (n, a) -> Optional.empty()), notifications,
                only(TagStore.class, (n, a) -> null), only(RollupStore.class, (n, a) -> null), message -> { },
                Ids.system(), Clock.fixed(NOW, ZoneOffset.UTC),
                new dev.glint.shared.experiments.Conversions(dev.glint.shared.experiments.ExperimentConfig.none(), null),
                interactions -> { },
                (viewer, others) -> others.stream().filter(o -> hiddenPairs.contains(viewer + ">" + o))
                        .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aRequestTellsTheOwnerAndAnApprovalTellsTheFollowerToo() {
        applyChange(Set.of()).acceptBatch(List.of(
                new TableChange.FollowRequested("ev-1", "fan", "own", NOW),
                new TableChange.FollowAdded("ev-2", "fan", "own", NOW, true),
                new TableChange.FollowAdded("ev-3", "other", "own", NOW)));
        assertEquals(List.of("own:follow_request:fan:fan", "own:follow:fan:fan", "fan:follow_approved:own:own",
                "own:follow:other:other"), told);
    }

    @Test
    void nobodyHearsOfSomeoneTheyBlockedOrMuted() {
        applyChange(Set.of("own>fan", "fan>own")).acceptBatch(List.of(
                new TableChange.FollowRequested("ev-1", "fan", "own", NOW),
                new TableChange.FollowAdded("ev-2", "fan", "own", NOW, true)));
        assertEquals(List.of(), told);
    }
}
