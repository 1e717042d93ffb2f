/* error.h — the last error of the calling thread, as one line for a user.
 *
 * Convention everywhere in codicil: a function that can fail returns int,
 * 0 on success and -1 on failure, and on failure has called cd_err_set()
 * with a message that says what went wrong and, where possible, what to do.
 */
#ifndef CODICIL_ERROR_H
#define CODICIL_ERROR_H

#include <stdarg.h>

void cd_err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cd_err_vset(const char *fmt, va_list ap);
/* Prefix the current message with "context: ", keeping the detail. */
void cd_err_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cd_err_msg(void);
void cd_err_clear(void);

/* A problem that does not stop the work but must not pass in silence (a
 * cache entry or a transcript that could not be written).  By default one
 * line "codicil: warning: ..." on stderr; a front end that owns the screen
 * (the TUI) installs its own handler.  The text is sanitised first. */
typedef void (*cd_warn_fn)(void *ud, const char *line);
void cd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cd_warn_set_handler(cd_warn_fn fn, void *ud);

#endif
