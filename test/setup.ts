/** Mocha setup: an unhandled rejection fails the run instead of passing silently. */
process.on("unhandledRejection", (error) => {
  throw error;
});
