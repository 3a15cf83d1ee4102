export const EXIT_OK = 0;
/** Input errors, stale output with --check, an empty --stdout cluster. */
export const EXIT_ERRORS = 1;
/** Bad command line. */
export const EXIT_USAGE = 2;
