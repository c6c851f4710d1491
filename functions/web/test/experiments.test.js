import { describe, expect, it } from "vitest";
import { changeBody, rebaseChange, writeOutcome, dayToInstant, describeWeights, fieldErrors, formatP, guardrailValue, guardrailsSupported, newExperimentBody,
  parseWeight, points, sampleSizeText, shares, validateChange, validateNewExperiment } from "../src/experiments.js";
import { ApiError } from "../src/api.js";

const form = (changes = {}) => ({ id: "feed-ranking-2", description: "", variants: [{ name: "chronological", weight: "1" },
  { name: "affinity", weight: "1" }], control: "chronological", metrics: ["likes"], start: "2026-12-01", end: "2027-01-01",
allocation: "100", lift: "", guardrails: [], ...changes });

describe("a new experiment is checked with the API's rules before it is sent", () => {
  it("accepts a complete form and builds the body the API reads, without guardrails when none are chosen", () => {
    expect(validateNewExperiment(form(), ["feed-ranking"])).toEqual({});
    expect(newExperimentBody(form({ lift: "5", description: " second try " }))).toEqual({
      id: "feed-ranking-2", surface: "feed", description: "second try", control: "chronological", metrics: ["likes"],
      variants: [{ name: "chronological", weight: 1 }, { name: "affinity", weight: 1 }],
      start: "2026-12-01T00:00:00Z", end: "2027-01-01T00:00:00Z", allocation: 100, minimumDetectableLift: 0.05 });
  });

  it("sends the chosen guardrails in the API's order", () => {
    expect(newExperimentBody(form({ guardrails: ["unlike_rate", "error_rate"] })).guardrails).toEqual(["error_rate", "unlike_rate"]);
  });

  it("names each field the API would refuse", () => {
    const problems = validateNewExperiment(form({ id: "Feed Ranking", control: "nobody", metrics: [], start: "2027-01-01",
      end: "2026-12-01", allocation: "0", lift: "150" }), []);
    expect(Object.keys(problems).sort()).toEqual(["allocation", "control", "end", "id", "metrics", "minimumDetectableLift"]);
    expect(problems.end).toBe("The end must be after the start.");
  });

  it("refuses an id in use, one variant, a repeated name, a bad name and weights that are not whole from 1 to 10,000", () => {
    expect(validateNewExperiment(form(), ["feed-ranking-2"]).id).toMatch(/exists/);
    expect(validateNewExperiment(form({ variants: [{ name: "chronological", weight: "1" }] })).variants).toMatch(/at least two/);
    expect(validateNewExperiment(form({ variants: [{ name: "a", weight: "1" }, { name: "a", weight: "1" }], control: "a" })).variants)
      .toMatch(/listed twice/);
    expect(validateNewExperiment(form({ variants: [{ name: "chronological", weight: "1" }, { name: "Affinity", weight: "1" }] })).variants)
      .toMatch(/Variant 2 needs a name/);
    for (const weight of ["0", "1.5", "10001", "", "-1", "2e3"]) {
      expect(validateNewExperiment(form({ variants: [{ name: "chronological", weight: "1" }, { name: "affinity", weight }] })).variants,
        "weight " + JSON.stringify(weight)).toMatch(/whole weight/);
    }
    expect(validateNewExperiment(form({ variants: [{ name: "chronological", weight: "10000" }, { name: "affinity", weight: " 7 " }] })))
      .toEqual({});
  });

  it("reads a date as the start of that day in UTC, and refuses one that does not exist", () => {
    expect(dayToInstant("2026-12-01")).toBe("2026-12-01T00:00:00Z");
    expect(dayToInstant("2026-02-30")).toBeNull();
    expect(dayToInstant("")).toBeNull();
    expect(validateNewExperiment(form({ start: "" })).start).toMatch(/date/);
  });
});

describe("weights", () => {
  it("are relative: each share is its weight over the total", () => {
    expect(shares([{ weight: 1 }, { weight: 1 }])).toEqual([50, 50]);
    expect(shares([{ weight: 80 }, { weight: 20 }])).toEqual([80, 20]);
    expect(shares([{ weight: 1 }, { weight: 2 }]).map((x) => x.toFixed(2))).toEqual(["33.33", "66.67"]);
    expect(describeWeights([{ name: "a", weight: 1 }, { name: "b", weight: 2 }])).toBe("a 1 (33.3 %), b 2 (66.7 %)");
  });

  it("are whole numbers from 1 to 10,000", () => {
    expect(parseWeight("25")).toBe(25);
    expect(parseWeight("0")).toBeNull();
    expect(parseWeight("abc")).toBeNull();
  });

  it("change only what differs, every variant when one weight does, with the reason", () => {
    const experiment = { id: "x", variants: [{ name: "a", weight: 50 }, { name: "b", weight: 50 }], allocation: 100 };
    const same = { variants: [{ name: "a", weight: "50" }, { name: "b", weight: "50" }], allocation: "100", reason: "" };
    expect(changeBody(experiment, same)).toBeNull();
    expect(changeBody(experiment, { ...same, variants: [{ name: "a", weight: "80" }, { name: "b", weight: "50" }], reason: " less b " }))
      .toEqual({ variants: [{ name: "a", weight: 80 }, { name: "b", weight: 50 }], reason: "less b" });
    expect(changeBody(experiment, { ...same, allocation: "20" })).toEqual({ allocation: 20 });
    expect(validateChange({ ...same, allocation: "101", reason: "x".repeat(501) })).toEqual({
      allocation: expect.stringMatching(/1 to 100/), reason: expect.stringMatching(/at most 500/) });
  });
});

describe("a change form read again after someone else's write", () => {
  const base = { variants: [{ name: "a", weight: 50 }, { name: "b", weight: 50 }], allocation: 100 };
  const current = { variants: [{ name: "a", weight: 90 }, { name: "b", weight: 10 }], allocation: 50 };
  const untouched = { variants: [{ name: "a", weight: "50" }, { name: "b", weight: "50" }], allocation: "100", reason: "why" };

  it("takes their values where the person changed nothing, so sending it again does not undo their change", () => {
    expect(rebaseChange(untouched, base, current)).toEqual({ variants: [{ name: "a", weight: "90" }, { name: "b", weight: "10" }],
      allocation: "50", reason: "why" });
    expect(changeBody(current, rebaseChange(untouched, base, current))).toBeNull();
  });

  it("keeps what the person edited: all the weights together, or the allocation", () => {
    const edited = { ...untouched, variants: [{ name: "a", weight: "70" }, { name: "b", weight: "50" }], allocation: "20" };
    expect(rebaseChange(edited, base, current)).toEqual(edited);
    expect(changeBody(current, rebaseChange(edited, base, current))).toEqual({
      variants: [{ name: "a", weight: 70 }, { name: "b", weight: 50 }], allocation: 20, reason: "why" });
  });

  it("changes guardrails only when the person chose other ones, and keeps someone else's when they did not", () => {
    const watched = { ...base, guardrails: ["error_rate"] };
    const form = { ...untouched, guardrails: ["error_rate"] };
    expect(changeBody(watched, form)).toBeNull();
    expect(changeBody(watched, { ...form, guardrails: ["p95_latency", "error_rate"] }))
      .toEqual({ guardrails: ["error_rate", "p95_latency"], reason: "why" });
    expect(changeBody(watched, { ...form, guardrails: [] })).toEqual({ guardrails: [], reason: "why" });
    const theirs = { ...current, guardrails: ["unlike_rate"] };
    expect(rebaseChange(form, watched, theirs).guardrails).toEqual(["unlike_rate"]);
    const mine = { ...form, guardrails: ["error_rate", "unfollow_rate"] };
    expect(rebaseChange(mine, watched, theirs).guardrails).toEqual(["error_rate", "unfollow_rate"]);
    expect(rebaseChange(untouched, base, current)).not.toHaveProperty("guardrails");
  });

  it("takes the new variants when someone renamed or added one", () => {
    const renamed = { variants: [{ name: "a", weight: 1 }, { name: "c", weight: 1 }], allocation: 100 };
    const edited = { ...untouched, variants: [{ name: "a", weight: "70" }, { name: "b", weight: "50" }] };
    expect(rebaseChange(edited, base, renamed).variants).toEqual([{ name: "a", weight: "1" }, { name: "c", weight: "1" }]);
  });
});

describe("the API's refusals go next to the field they name", () => {
  it("splits an invalid experiment's problems by field", () => {
    const error = new ApiError(400, "invalid_experiment", "The experiments would be invalid; fix: experiment 'x'.end must be after its start; "
      + "experiment 'x' variant 'b' needs a whole positive weight (at most 10000), got 0; experiment 'x'.allocation must be a whole "
      + "percentage from 1 to 100, got 0");
    const byField = fieldErrors(error);
    expect(Object.keys(byField).sort()).toEqual(["allocation", "end", "variants"]);
    expect(byField.end).toBe("End must be after its start.");
    expect(byField.variants).toBe("Variant 'b' needs a whole positive weight (at most 10000), got 0.");
  });

  it("puts a guardrail problem beside the guardrails, not the variants or metrics", () => {
    const error = new ApiError(400, "invalid_experiment", "The experiments would be invalid; fix: experiment 'x' has an unknown guardrail "
      + "\"cpu\" (known: [error_rate, p95_latency, unlike_rate, unfollow_rate]); experiment 'x' lists guardrail \"error_rate\" twice");
    expect(Object.keys(fieldErrors(error))).toEqual(["guardrails"]);
  });

  it("puts a taken id, a bad reason and an unknown field where they belong, and the rest on the form", () => {
    expect(fieldErrors(new ApiError(409, "experiment_exists", "An experiment 'x' exists")).id).toMatch(/exists/);
    expect(fieldErrors(new ApiError(400, "invalid_reason", "reason must be text")).reason).toMatch(/reason/);
    expect(Object.keys(fieldErrors(new ApiError(400, "unknown_field",
      "Unknown field(s) [guardrails]; this route accepts [allocation, control, variants]."))) ).toEqual(["guardrails"]);
    expect(fieldErrors(new ApiError(409, "deployment_in_progress", "wait"))).toEqual({ form: "wait" });
  });

  it("tells a lost race from a write that waits for a deployment and from a refused definition", () => {
    expect(writeOutcome(new ApiError(412, "version_mismatch", ""))).toBe("conflict");
    expect(writeOutcome(new ApiError(409, "experiments_changed", ""))).toBe("conflict");
    expect(writeOutcome(new ApiError(409, "deployment_in_progress", ""))).toBe("stored");
    expect(writeOutcome(new ApiError(409, "experiment_exists", ""))).toBe("fields");
    expect(writeOutcome(new ApiError(400, "invalid_experiment", ""))).toBe("fields");
    expect(writeOutcome(new ApiError(409, "experiments_not_managed", ""))).toBe("other");
  });
});

describe("results in words", () => {
  it("formats p-values, differences and guardrail values", () => {
    expect(formatP(0.1)).toBe("0.1000");
    expect(formatP(0.00001)).toBe("< 0.0001");
    expect(formatP(null)).toBe("n/a");
    expect(points(0.012)).toBe("+1.20 pp");
    expect(points(-0.005)).toBe("−0.50 pp");
    expect(guardrailValue("p95_latency", 1234.4)).toBe("1,234 ms");
    expect(guardrailValue("error_rate", 0.0123)).toBe("1.23 %");
  });

  it("says how many users each variant needs, and whether they have them", () => {
    const variants = [{ exposures: 900 }, { exposures: 1000 }];
    expect(sampleSizeText({ minimumDetectableLift: 0.1, controlRate: 0.1, perVariant: 14751, reached: false }, variants))
      .toBe("Sample size: 14,751 users per variant to detect a 10 % lift over the control's 10.00 % at 5 % with 80 % power; "
        + "not reached yet (the smallest variant has 900).");
    expect(sampleSizeText({ minimumDetectableLift: 0.1, controlRate: 0, perVariant: null, reached: false }, variants))
      .toMatch(/not known until someone in the control converts/);
  });

  it("offers guardrails only where the API lists them", () => {
    expect(guardrailsSupported([{ id: "a" }])).toBe(false);
    expect(guardrailsSupported([{ id: "a", guardrails: [] }])).toBe(true);
  });
});
