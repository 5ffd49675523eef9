// Ollama version strings ("0.1.45", "v0.12.6-rc1") compared by their numbers.
function versionNumbers(text) {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? match.slice(1).map((part) => Number(part) || 0) : [];
}

export function isOlder(version, minimum) {
  const have = versionNumbers(version);
  const need = versionNumbers(minimum);
  for (let index = 0; index < need.length; index += 1) {
    if (have[index] !== need[index]) {
      return (have[index] ?? 0) < need[index];
    }
  }
  return false;
}
