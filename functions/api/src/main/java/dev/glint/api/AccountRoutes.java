package dev.glint.api;

import dev.glint.shared.account.AccountDeletion;
import dev.glint.shared.account.ErasureLedger;

import static dev.glint.api.RouteSupport.caller;

/** Deleting my account: the tombstone at once, the erasure in the background. */
final class AccountRoutes implements RouteGroup {

    /** {@code status}: {@code erasing} while the erasure runs, {@code erased} once it finished. */
    record DeletionView(String status) {
    }

    private final AccountDeletion deletion;

    AccountRoutes(AccountDeletion deletion) {
        this.deletion = deletion;
    }

    @Override
    public void register(Router router) {
        router.add("DELETE", "/v1/me", r -> HttpResponse.json(202, new DeletionView(
                deletion.delete(caller(r)) == ErasureLedger.Start.ALREADY_FINISHED ? "erased" : "erasing")));
    }
}
