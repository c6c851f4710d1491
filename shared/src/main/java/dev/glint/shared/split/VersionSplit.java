package dev.glint.shared.split;

import dev.glint.shared.experiments.Assignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A sticky traffic split between published versions of a function: each user (the token's {@code sub},
 * or a first-party cookie's id for a signed-out request) falls in one of {@link Assignment#BUCKETS}
 * buckets by a hash of {@code split:<function>:<user>}, and the versions take contiguous bucket ranges
 * in ascending version order, in proportion to their weights. So a user reaches the same version on
 * every request until the split changes, and a weight change moves only the users between the old
 * and the new boundaries (70/30 to 50/50 moves the 20 % in buckets 5,000-6,999 from the first version
 * to the second, and nobody back), exactly as experiment assignment does. The hash is the one
 * {@link Assignment} uses, so the edge can compute it with SHA-256 too.
 *
 * @param function the function split (the api)
 * @param shares   versions and their whole-percent weights, ascending by version, summing to 100
 */
public record VersionSplit(String function, List<Share> shares) {

    /** One version's share of users, in whole percent. */
    public record Share(int version, int weight) {
    }

    private static final Pattern ARGUMENT = Pattern.compile("([0-9]{1,9})=([0-9]{1,3})");

    public VersionSplit {
        shares = shares.stream().sorted(Comparator.comparingInt(Share::version)).toList();
        List<String> problems = problems(shares);
        if (!problems.isEmpty()) {
            throw new InvalidSplit(problems);
        }
    }

    /**
     * Reads {@code VERSION=PERCENT} arguments, such as {@code 1=70 2=30}.
     *
     * @throws InvalidSplit naming every problem at once
     */
    public static VersionSplit parse(String function, List<String> arguments) {
        List<String> problems = new ArrayList<>();
        List<Share> shares = new ArrayList<>();
        for (String argument : arguments) {
            var m = ARGUMENT.matcher(argument);
            if (!m.matches()) {
                problems.add("'" + argument + "' is not VERSION=PERCENT (a version number, '=', a whole percentage), as in 1=70");
                continue;
            }
            shares.add(new Share(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        if (arguments.isEmpty()) {
            problems.add("name at least one version and its share, as in 1=70 2=30");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSplit(problems);
        }
        return new VersionSplit(function, shares);
    }

    private static List<String> problems(List<Share> shares) {
        List<String> problems = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (Share share : shares) {
            if (share.version() < 1) {
                problems.add("version " + share.version() + " does not exist: published versions are numbered from 1");
            }
            if (!seen.add(share.version())) {
                problems.add("version " + share.version() + " is named twice");
            }
            if (share.weight() < 0 || share.weight() > 100) {
                problems.add("version " + share.version() + "'s share is " + share.weight() + " %; a share is 0 to 100");
            }
            total += share.weight();
        }
        if (!shares.isEmpty() && total != 100) {
            problems.add("the shares add up to " + total + " %; they must add up to 100");
        }
        if (shares.isEmpty()) {
            problems.add("a split names at least one version");
        }
        return problems;
    }

    /** The user's bucket in this function's split, 0 to 9,999. */
    public int bucket(String userKey) {
        return Assignment.bucket("split:" + function, userKey);
    }

    /** The version that serves this user. */
    public int versionFor(String userKey) {
        int bucket = bucket(userKey);
        long cumulative = 0;
        for (Share share : shares) {
            cumulative += share.weight();
            if (bucket < cumulative * Assignment.BUCKETS / 100) {
                return share.version();
            }
        }
        throw new IllegalStateException("bucket " + bucket + " outside every share of " + this);
    }

    /** The versions that take a share, ascending. */
    public List<Integer> versions() {
        return shares.stream().filter(s -> s.weight() > 0).map(Share::version).toList();
    }

    @Override
    public String toString() {
        return String.join(" ", shares.stream().map(s -> s.version() + "=" + s.weight()).toList());
    }

    /** A split that cannot be used, with every reason. */
    public static final class InvalidSplit extends IllegalArgumentException {
        private final List<String> problems;

        public InvalidSplit(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
