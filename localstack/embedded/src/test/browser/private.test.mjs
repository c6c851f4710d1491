// Private accounts in a real browser: a person makes their account private in the profile form, a second
// person's follow becomes a request, and the first approves it from their follow requests; every view is
// checked with axe-core and photographed (support.mjs). Run by WebClientBrowserIT with the other files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { person, view, eventually, signUp, useBrowser } from "./support.mjs";

useBrowser();
test("a private account's follow is a request its owner approves", { timeout: 120_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const ivy = "ivy_" + suffix;
  const jon = "jon_" + suffix;

  const owner = await person();
  await signUp(owner, ivy, "Ivy Private", false);
  const locked = owner.getByRole("checkbox", { name: "Private account" });
  assert.equal(await locked.isChecked(), false, "accounts start public");
  assert.equal(await owner.getByRole("heading", { name: "Follow requests" }).count(), 0, "a public account has none to answer");
  await locked.check();
  await owner.getByRole("button", { name: "Save profile" }).click();
  await owner.getByRole("heading", { name: "Follow requests" }).waitFor();
  await owner.getByText("Nobody is waiting for your approval.").waitFor();
  assert.equal(await locked.isChecked(), true, "the switch shows what was saved");
  await view(owner, "p1-private");

  const asker = await person();
  await signUp(asker, jon, "Jon Asker", false);
  await asker.getByLabel("Handle to follow").fill(ivy);
  await asker.getByRole("button", { name: "Follow", exact: true }).click();
  await asker.getByText("@" + ivy + "'s account is private: your follow request waits for their approval.").waitFor();
  await view(asker, "p2-requested");

  const approve = owner.getByRole("button", { name: "Approve @" + jon });
  await eventually("the request in the owner's list", () => owner.getByRole("button", { name: "Refresh notifications" }).click(),
    async () => {
      await owner.reload();
      await owner.getByRole("heading", { name: "Follow requests" }).waitFor();
      return (await approve.count()) > 0;
    });
  await view(owner, "p3-requests");
  await approve.click();
  await owner.getByText("@" + jon + " follows you now.").waitFor();
  await owner.getByText("Nobody is waiting for your approval.").waitFor();
  await view(owner, "p4-approved");
});
