/** "1 like", "2 likes": a count and its word, the word plural unless the count is one. */
export function plural(count, word) {
  return count + " " + word + (count === 1 ? "" : "s");
}
