package dev.glint.shared.digest;

import dev.glint.shared.messages.DigestRun;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.TaskQueue;
import dev.glint.shared.paging.Page;
import dev.glint.shared.paging.PageToken;
import dev.glint.shared.social.Blocks;
import dev.glint.shared.social.Notification;
import dev.glint.shared.social.NotificationStore;
import dev.glint.shared.social.Profile;
import dev.glint.shared.social.ProfileStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Sends email digests, one page of opted-in users per {@link DigestRun} message. The scheduler's
 * message (no shard) becomes one message per shard of the frequency's index; each shard's message
 * reads one page of its users (a query, never a scan), sends each user with unread notifications in
 * the period's window one digest, and enqueues the next page. A conditional claim per user and
 * period makes a redelivered message, a retry or a second run send nothing twice.
 */
public final class DigestJob implements MessageConsumer<DigestRun> {

    private static final Logger LOG = LoggerFactory.getLogger(DigestJob.class);

    /** Users per message: each costs a few reads, a claim and one send; a page stays well inside the function's timeout. */
    public static final int PAGE_SIZE = 25;
    /** At most this many notifications are read for one digest (the newest); the counts say "at least" beyond. */
    public static final int MAX_NOTIFICATIONS = 100;
    /** Claims outlive any retry of their period. */
    static final Duration CLAIM_LIFETIME = Duration.ofDays(35);

    private final DigestPreferenceStore preferences;
    private final NotificationStore notifications;
    private final ProfileStore profiles;
    private final MailSender mail;
    private final TaskQueue tasks;
    private final UnsubscribeTokens tokens;
    private final Links links;
    private final Clock clock;
    private final Blocks hiddenActors;

    /**
     * Where a digest's links point and who sends it.
     *
     * @param appUrl the app (and its API) as users reach it, e.g. {@code https://glint.example}
     * @param from   the verified sender address
     */
    public record Links(String appUrl, String from) {
        public Links {
            appUrl = appUrl.endsWith("/") ? appUrl.substring(0, appUrl.length() - 1) : appUrl;
        }

        public String unsubscribe(String token) {
            return appUrl + "/v1/unsubscribe?token=" + token;
        }
    }

    /** One digest sent: to whom, for which period, how many notifications it told of. */
    public record Sent(String userId, String email, String period, int notifications, String messageId) {
    }

    public DigestJob(DigestPreferenceStore preferences, NotificationStore notifications, ProfileStore profiles,
                     MailSender mail, TaskQueue tasks, UnsubscribeTokens tokens, Links links, Clock clock) {
        this(preferences, notifications, profiles, mail, tasks, tokens, links, clock, Blocks.NONE);
    }

    /**
     * @param hiddenActors of a user's notifications' actors, those whose notifications the user no longer
     *                     gets: blocked either way, or muted by the user (one batch read a digest)
     */
    public DigestJob(DigestPreferenceStore preferences, NotificationStore notifications, ProfileStore profiles,
                     MailSender mail, TaskQueue tasks, UnsubscribeTokens tokens, Links links, Clock clock,
                     Blocks hiddenActors) {
        this.hiddenActors = hiddenActors;
        this.preferences = preferences;
        this.notifications = notifications;
        this.profiles = profiles;
        this.mail = mail;
        this.tasks = tasks;
        this.tokens = tokens;
        this.links = links;
        this.clock = clock;
    }

    @Override
    public void accept(DigestRun run, Delivery delivery) {
        DigestFrequency frequency = frequency(run);
        Instant at = at(run);
        if (run.shard() == null) {
            // Each shard is paged by its own chain of messages, in parallel.
            for (int shard = 0; shard < preferences.shards(); shard++) {
                tasks.send(DigestRun.of(frequency.wire(), at.toString()).page(shard, null));
            }
            return;
        }
        int shard = shard(run);
        Optional<PageToken> cursor = Optional.ofNullable(run.cursor()).map(PageToken::of);
        Page<DigestPreference> page = preferences.subscribers(frequency, shard, PAGE_SIZE, cursor);
        sendPage(page.items(), DigestPeriod.of(frequency, at));
        // The next page goes on only once this one is done: a failure retries this page, whose sent users are claimed.
        page.next().ifPresent(next -> tasks.send(DigestRun.of(frequency.wire(), at.toString()).page(shard, next.value())));
    }

    /**
     * Runs a whole period now, every shard and page in this thread ({@code ./glint digest}): the same
     * per-user steps as the messages take, without the queue.
     */
    public List<Sent> runNow(DigestFrequency frequency, Instant at) {
        DigestPeriod period = DigestPeriod.of(frequency, at);
        List<Sent> sent = new ArrayList<>();
        for (int shard = 0; shard < preferences.shards(); shard++) {
            Optional<PageToken> cursor = Optional.empty();
            do {
                Page<DigestPreference> page = preferences.subscribers(frequency, shard, PAGE_SIZE, cursor);
                sent.addAll(sendPage(page.items(), period));
                cursor = page.next();
            } while (cursor.isPresent());
        }
        return sent;
    }

    private List<Sent> sendPage(List<DigestPreference> users, DigestPeriod period) {
        List<Sent> sent = new ArrayList<>();
        for (DigestPreference user : users) {
            sendOne(user, period).ifPresent(sent::add);
        }
        return sent;
    }

    /** One user's digest for the period, if they have unread notifications in its window and none was sent yet. */
    Optional<Sent> sendOne(DigestPreference user, DigestPeriod period) {
        if (user.email().isEmpty() || !DigestMail.validAddress(user.email().get())) {
            LOG.warn("digest skipped: user {} has no usable address", user.userId());
            return Optional.empty();
        }
        List<Notification> unread = unread(user.userId(), period);
        if (unread.isEmpty()) {
            return Optional.empty();
        }
        if (!preferences.claim(user.userId(), period.key(), period.at().plus(CLAIM_LIFETIME))) {
            return Optional.empty();
        }
        // Claimed: from here a crash sends nothing for this period (at most once); a failed send gives the claim back.
        Set<String> actors = new HashSet<>();
        unread.forEach(n -> actors.add(n.actorId()));
        Map<String, Profile> found = profiles.findAll(actors);
        DigestSummary summary = DigestSummary.of(unread, id -> found.containsKey(id) ? found.get(id).handle() : null);
        String messageId = UUID.randomUUID() + "@glint.digest";
        byte[] raw = DigestMail.compose(new DigestMail.Message(links.from(), user.email().get(), period, summary,
                links.appUrl(), links.unsubscribe(tokens.sign(user.userId())), messageId, clock.instant()));
        String sentId;
        try {
            sentId = mail.send(user.email().get(), raw);
        } catch (RuntimeException e) {
            preferences.release(user.userId(), period.key());
            throw e;
        }
        LOG.info("digest {} sent to user {} ({} notifications, message {})", period.key(), user.userId(), summary.total(), sentId);
        return Optional.of(new Sent(user.userId(), user.email().get(), period.label(), summary.total(), sentId));
    }

    /** Newest first: newer than the read marker and inside the window, at most {@link #MAX_NOTIFICATIONS}. */
    private List<Notification> unread(String userId, DigestPeriod period) {
        Optional<String> readUpTo = notifications.readUpTo(userId);
        Page<Notification> newest = notifications.list(userId, MAX_NOTIFICATIONS, Optional.empty());
        List<Notification> unread = new ArrayList<>();
        for (Notification n : newest.items()) {
            if (readUpTo.isPresent() && n.id().compareTo(readUpTo.get()) <= 0) {
                break;
            }
            if (n.createdAt().isBefore(period.windowStart())) {
                break;
            }
            if (!n.createdAt().isAfter(period.at())) {
                unread.add(n);
            }
        }
        Set<String> actors = new HashSet<>();
        unread.forEach(n -> actors.add(n.actorId()));
        actors.remove(userId);
        Set<String> hidden = actors.isEmpty() ? Set.of() : hiddenActors.hidden(userId, actors);
        if (!hidden.isEmpty()) {
            unread.removeIf(n -> hidden.contains(n.actorId()));
        }
        return unread;
    }

    private static DigestFrequency frequency(DigestRun run) {
        DigestFrequency frequency = DigestFrequency.parse(run.frequency()).orElse(DigestFrequency.OFF);
        if (frequency == DigestFrequency.OFF) {
            throw new IllegalArgumentException("digest.run frequency must be daily or weekly, not " + run.frequency());
        }
        return frequency;
    }

    private Instant at(DigestRun run) {
        if (run.at() == null) {
            return clock.instant();
        }
        try {
            return Instant.parse(run.at());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("digest.run at is not an ISO-8601 time: " + run.at());
        }
    }

    private int shard(DigestRun run) {
        try {
            int shard = Integer.parseInt(run.shard());
            if (shard >= 0 && shard < preferences.shards()) {
                return shard;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("digest.run shard must be 0-" + (preferences.shards() - 1) + ": " + run.shard());
    }
}
