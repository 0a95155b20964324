/** Polls until `condition` holds, for at most `ms`; resolves to whether it ever did. */
export async function eventually(
  condition: () => Promise<boolean> | boolean,
  ms = 5000,
): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}
