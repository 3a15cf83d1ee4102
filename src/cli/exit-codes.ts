export const EXIT_OK = 0;
/** Input errors, stale output with --check, an empty --stdout cluster. */
export const EXIT_ERRORS = 1;
/** Bad command line. */
export const EXIT_USAGE = 2;
/** A bug in fedc (or stdout that cannot be written): the message says what. */
export const EXIT_INTERNAL = 3;
/** The reader of stdout or stderr closed it early (`| head`): as a program stopped by SIGPIPE. */
export const EXIT_READER_GONE = 141;
