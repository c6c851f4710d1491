package dev.glint.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.RegexAppliesTo;

import java.util.List;

/**
 * Small helpers for cdk-nag suppressions. Every suppression carries the reason a reviewer would ask
 * for; {@code appliesTo} narrows it to the exact findings it explains.
 */
final class Nag {

    private Nag() {
    }

    static NagPackSuppression rule(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    static NagPackSuppression rule(String id, String reason, List<Object> appliesTo) {
        return NagPackSuppression.builder().id(id).reason(reason).appliesTo(appliesTo).build();
    }

    /** A finding pattern, as cdk-nag expects it: a JavaScript regular expression literal. */
    static RegexAppliesTo regex(String pattern) {
        return RegexAppliesTo.builder().regex("/" + pattern + "/g").build();
    }
}
