package dev.glint.shared.account;

import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.MessageConsumer;
import dev.glint.shared.messages.TaskQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Erases an account, one page per message, in the order of its steps: each page sends the next, as a
 * post's fan-out does. Resumable and idempotent: the tombstone records the page expected next, a
 * replayed page (its number behind the tombstone's) is dropped, a page whose predecessor is not yet
 * recorded fails and is retried, and a page run twice (a crash between its work and its record) finds
 * its items already gone.
 */
public final class AccountErasure implements MessageConsumer<EraseJob> {

    private static final Logger LOG = LoggerFactory.getLogger(AccountErasure.class);

    private final ErasureLedger ledger;
    private final List<ErasureStep> steps;
    private final TaskQueue tasks;
    private final Clock clock;

    public AccountErasure(ErasureLedger ledger, List<ErasureStep> steps, TaskQueue tasks, Clock clock) {
        if (steps.isEmpty() || steps.stream().map(ErasureStep::name).distinct().count() != steps.size()) {
            throw new IllegalArgumentException("erasure steps must be some, each with its own name");
        }
        this.ledger = ledger;
        this.steps = List.copyOf(steps);
        this.tasks = tasks;
        this.clock = clock;
    }

    /** The first step's name: where every erasure starts. */
    public String firstStep() {
        return steps.get(0).name();
    }

    public List<String> stepNames() {
        return steps.stream().map(ErasureStep::name).toList();
    }

    @Override
    public void accept(EraseJob job, Delivery delivery) {
        Optional<ErasureLedger.Progress> progress = ledger.progress(job.userId());
        if (progress.isEmpty() || progress.get().finished()) {
            LOG.info("erasure page {} dropped: no erasure of this account is running", job.page());
            return;
        }
        long page = job.pageNumber();
        long expected = progress.get().page();
        if (page < expected) {
            LOG.info("erasure page {} dropped: a replay (page {} is next)", page, expected);
            return;
        }
        if (page > expected) {
            // Sent by a page whose record is not visible yet (or never made: that page is redelivered).
            throw new IllegalStateException("erasure page " + page + " arrived before page " + expected + " was recorded");
        }
        int index = indexOf(job.step());
        Optional<String> next = steps.get(index).erasePage(job.userId(), Optional.ofNullable(job.cursor()));
        String nextPage = Long.toString(page + 1);
        if (next.isPresent()) {
            tasks.send(new EraseJob(EraseJob.TYPE, EraseJob.VERSION, job.userId(), job.step(), nextPage, next.get()));
        } else if (index + 1 < steps.size()) {
            tasks.send(new EraseJob(EraseJob.TYPE, EraseJob.VERSION, job.userId(), steps.get(index + 1).name(), nextPage, null));
        } else {
            ledger.finish(job.userId(), clock.instant());
            LOG.info("erasure finished after {} pages", page + 1);
            return;
        }
        // After the send: a crash between the two redelivers this page, which sends again (the copy is then dropped).
        ledger.advance(job.userId(), page);
    }

    private int indexOf(String step) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).name().equals(step)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no erasure step named " + step);
    }
}
