package dev.glint.shared.digest;

import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.QueueMessage;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.InMemoryProfiles;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The digest job over in-memory ports: who gets mail, once per period, page by page. */
class DigestJobTest {

    private static final Instant AT = Instant.parse("2026-11-30T07:00:00Z");
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final Preferences preferences = new Preferences();
    private final Notifications notifications = new Notifications();
    private final InMemoryProfiles profiles = new InMemoryProfiles();
    private final List<String> sentTo = new ArrayList<>();
    private final List<QueueMessage> queued = new ArrayList<>();
    private boolean failSends;
    private final DigestJob job = new DigestJob(preferences, notifications, profiles, (to, raw) -> {
        if (failSends) {
            throw new IllegalStateException("mail service down");
        }
        sentTo.add(to);
        return "m-" + sentTo.size();
    }, queued::add, new UnsubscribeTokens(SECRET, Clock.fixed(AT, ZoneOffset.UTC)),
            new DigestJob.Links("https://glint.example/", "digest@glint.example"), Clock.fixed(AT, ZoneOffset.UTC));

    private void optIn(String user, DigestFrequency frequency) {
        preferences.save(new DigestPreference(user, frequency, Optional.of(user + "@example.com")));
    }

    private void notify(String user, String actor, int minutesAgo) {
        Instant at = AT.minusSeconds(60L * minutesAgo);
        notifications.add(user, new Notification(String.format("%015d-%s", at.toEpochMilli(), actor), Notification.LIKE, actor, "p", at));
    }

    @Test
    void onlyOptedInUsersWithUnreadNotificationsInTheWindowGetOneDigest() {
        optIn("daily-unread", DigestFrequency.DAILY);
        notify("daily-unread", "a", 30);
        optIn("daily-nothing", DigestFrequency.DAILY);
        optIn("daily-read", DigestFrequency.DAILY);
        notify("daily-read", "a", 30);
        notifications.markRead("daily-read", notifications.list("daily-read", 1, Optional.empty()).items().get(0).id());
        optIn("daily-old", DigestFrequency.DAILY);
        notify("daily-old", "a", 60 * 25);
        optIn("weekly-unread", DigestFrequency.WEEKLY);
        notify("weekly-unread", "a", 60 * 25);
        preferences.save(DigestPreference.off("off-unread"));
        notify("off-unread", "a", 30);

        List<DigestJob.Sent> daily = job.runNow(DigestFrequency.DAILY, AT);
        assertEquals(List.of("daily-unread"), daily.stream().map(DigestJob.Sent::userId).toList());
        assertEquals("2026-11-30", daily.get(0).period());
        assertEquals(List.of("weekly-unread"), job.runNow(DigestFrequency.WEEKLY, AT).stream().map(DigestJob.Sent::userId).toList());
        assertEquals(List.of("daily-unread@example.com", "weekly-unread@example.com"), sentTo);
    }

    @Test
    void notificationsFromPeopleHiddenFromTheUserLeaveTheDigest() {
        DigestJob hiding = new DigestJob(preferences, notifications, profiles, (to, raw) -> {
            sentTo.add(to);
            return "m-" + sentTo.size();
        }, queued::add, new UnsubscribeTokens(SECRET, Clock.fixed(AT, ZoneOffset.UTC)),
                new DigestJob.Links("https://glint.example/", "digest@glint.example"), Clock.fixed(AT, ZoneOffset.UTC),
                (user, actors) -> actors.contains("blocked") ? java.util.Set.of("blocked") : java.util.Set.of());
        optIn("only-blocked", DigestFrequency.DAILY);
        notify("only-blocked", "blocked", 30);
        optIn("mixed", DigestFrequency.DAILY);
        notify("mixed", "blocked", 30);
        notify("mixed", "friend", 20);

        List<DigestJob.Sent> sent = hiding.runNow(DigestFrequency.DAILY, AT);
        assertEquals(List.of("mixed"), sent.stream().map(DigestJob.Sent::userId).toList(), "nothing left to tell: no mail");
        assertEquals(1, sent.get(0).notifications());
    }

    @Test
    void aSecondRunOfThePeriodSendsNothingAndTheNextPeriodSendsAgain() {
        optIn("u", DigestFrequency.DAILY);
        notify("u", "a", 30);
        assertEquals(1, job.runNow(DigestFrequency.DAILY, AT).size());
        assertEquals(0, job.runNow(DigestFrequency.DAILY, AT.plusSeconds(3600)).size(), "same UTC date");
        notify("u", "b", -60 * 20);
        assertEquals(1, job.runNow(DigestFrequency.DAILY, AT.plusSeconds(3600 * 24)).size(), "the next day");
    }

    @Test
    void theSchedulersMessageFansOutPerShardAndEachShardPagesOnItself() {
        for (int i = 0; i < 160; i++) {
            optIn("user-" + i, DigestFrequency.DAILY);
            notify("user-" + i, "a", 10);
        }
        job.accept(DigestRun.of("daily", AT.toString()), new MessageConsumer.Delivery("m", 1));
        assertEquals(preferences.shards(), queued.size());
        assertTrue(sentTo.isEmpty(), "the first message only splits the run");
        int handled = 0;
        while (!queued.isEmpty()) {
            DigestRun next = (DigestRun) queued.remove(0);
            assertEquals(AT.toString(), next.at(), "every page keeps the run's time, so its period");
            job.accept(next, new MessageConsumer.Delivery("m" + handled, 1));
            job.accept(next, new MessageConsumer.Delivery("m" + handled, 2));
            handled++;
        }
        assertEquals(160, sentTo.size(), "each user once, although every message was delivered twice");
        assertEquals(160, new HashSet<>(sentTo).size());
        assertTrue(handled > preferences.shards(), "some shard took more than one page");
    }

    @Test
    void aFailedSendGivesTheClaimBackSoTheRetrySends() {
        optIn("u", DigestFrequency.DAILY);
        notify("u", "a", 30);
        failSends = true;
        assertThrows(IllegalStateException.class, () -> job.runNow(DigestFrequency.DAILY, AT));
        failSends = false;
        assertEquals(1, job.runNow(DigestFrequency.DAILY, AT).size());
    }

    @Test
    void aMessageOfAnUnknownFrequencyOrShardIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> job.accept(DigestRun.of("off", null), new MessageConsumer.Delivery("m", 1)));
        assertThrows(IllegalArgumentException.class, () -> job.accept(DigestRun.of("daily", null).page(99, null),
                new MessageConsumer.Delivery("m", 1)));
    }

    /** Index entries per frequency and shard in user order, as the table keeps them. */
    static final class Preferences implements DigestPreferenceStore {
        final Map<String, DigestPreference> byUser = new HashMap<>();
        final Set<String> claims = new HashSet<>();

        @Override
        public int shards() {
            return 4;
        }

        @Override
        public Optional<DigestPreference> find(String userId) {
            return Optional.ofNullable(byUser.get(userId));
        }

        @Override
        public void save(DigestPreference preference) {
            byUser.put(preference.userId(), preference);
        }

        @Override
        public Page<DigestPreference> subscribers(DigestFrequency frequency, int shard, int limit, Optional<PageToken> after) {
            List<DigestPreference> all = byUser.values().stream()
                    .filter(p -> p.frequency() == frequency && Math.floorMod(p.userId().hashCode(), shards()) == shard)
                    .filter(p -> after.isEmpty() || p.userId().compareTo(after.get().value()) > 0)
                    .sorted(Comparator.comparing(DigestPreference::userId)).toList();
            List<DigestPreference> page = all.subList(0, Math.min(limit, all.size()));
            return new Page<>(page, all.size() > limit ? Optional.of(PageToken.of(page.get(page.size() - 1).userId())) : Optional.empty());
        }

        @Override
        public boolean claim(String userId, String periodKey, Instant expires) {
            return claims.add(userId + "/" + periodKey);
        }

        @Override
        public void release(String userId, String periodKey) {
            claims.remove(userId + "/" + periodKey);
        }
    }

    static final class Notifications implements NotificationStore {
        final Map<String, TreeMap<String, Notification>> byUser = new HashMap<>();
        final Map<String, String> read = new HashMap<>();

        @Override
        public boolean add(String userId, Notification notification) {
            return byUser.computeIfAbsent(userId, u -> new TreeMap<>()).putIfAbsent(notification.id(), notification) == null;
        }

        @Override
        public Page<Notification> list(String userId, int limit, Optional<PageToken> after) {
            List<Notification> newest = new ArrayList<>(byUser.getOrDefault(userId, new TreeMap<>()).descendingMap().values());
            return new Page<>(newest.subList(0, Math.min(limit, newest.size())), Optional.empty());
        }

        @Override
        public Optional<String> readUpTo(String userId) {
            return Optional.ofNullable(read.get(userId));
        }

        @Override
        public void markRead(String userId, String upToId) {
            read.merge(userId, upToId, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }

        @Override
        public void markReadThrough(String userId, PageToken next) {
            throw new UnsupportedOperationException();
        }
    }
}
