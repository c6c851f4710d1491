package dev.glint.shared.account;

/** Where users sign in (Cognito's user pool on AWS): an erased account's sign-in is deleted there too. */
public interface IdentityDirectory {

    /** Deletes the user's sign-in; a user already gone is not an error (a replayed page). */
    void delete(String userId);
}
