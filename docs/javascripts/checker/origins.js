// Which origins Ollama admits without OLLAMA_ORIGINS, and the advice for MarkItUp's origin and this page's.

// As gin-contrib/cors matches a pattern: one "*" splits it into a prefix and a suffix.
export function admits(pattern, origin) {
  const star = pattern.indexOf("*");
  if (star < 0) {
    return pattern === origin;
  }
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return origin.length >= prefix.length + suffix.length && origin.startsWith(prefix) && origin.endsWith(suffix);
}

// A page opened from a file sends the origin "null", which no OLLAMA_ORIGINS value admits.
const isOpaque = (origin) => origin === "null";

export const admittedByDefault = (origin, settings) =>
  !isOpaque(origin) && settings.defaultOrigins.some((pattern) => admits(pattern, origin));

// What each origin needs. `app.value` makes MarkItUp work; `page.value` also lets this page check.
export function originsAdvice(appOrigin, pageOrigin, settings) {
  const appAdmitted = admittedByDefault(appOrigin, settings);
  const pageAdmitted = admittedByDefault(pageOrigin, settings);
  const sameOrigin = appOrigin === pageOrigin;
  const needed = appAdmitted ? [] : [appOrigin];
  const pageNeeded = !sameOrigin && !pageAdmitted && !isOpaque(pageOrigin);
  return {
    app: { origin: appOrigin, admitted: appAdmitted, value: needed.join(",") },
    page: {
      origin: pageOrigin,
      admitted: pageAdmitted,
      sameOrigin,
      opaque: isOpaque(pageOrigin),
      value: pageNeeded ? [...needed, pageOrigin].join(",") : "",
    },
  };
}
