package dev.glint.shared.account;

import dev.glint.shared.messages.EraseJob;
import dev.glint.shared.messages.TaskQueue;

import java.time.Clock;

/** A user asks for their account to be deleted: the tombstone at once, the erasure on the fan-out queue. */
public final class AccountDeletion {

    private final ErasureLedger ledger;
    private final TaskQueue tasks;
    private final String firstStep;
    private final Clock clock;

    public AccountDeletion(ErasureLedger ledger, TaskQueue tasks, String firstStep, Clock clock) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.firstStep = firstStep;
        this.clock = clock;
    }

    /**
     * Starts (or, asked again, restarts the chain of) the erasure. Sending the first page again while one
     * runs is harmless: the tombstone drops the copy.
     *
     * @return what the request found
     */
    public ErasureLedger.Start delete(String userId) {
        ErasureLedger.Start start = ledger.start(userId, clock.instant());
        if (start != ErasureLedger.Start.ALREADY_FINISHED) {
            tasks.send(EraseJob.firstPage(userId, firstStep));
        }
        return start;
    }

    /** Whether the account is being (or was just) erased: its token may change nothing. */
    public boolean erased(String userId) {
        return ledger.erased(userId);
    }
}
