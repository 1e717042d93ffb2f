/* verify_int.h — what the verify files of src/engine/ share. */
#ifndef CODICIL_ENGINE_VERIFY_INT_H
#define CODICIL_ENGINE_VERIFY_INT_H

#include "codicil/verify.h"

/* Append one problem line to a; -1 on out of memory. */
int verify__problem(verify_amendment *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Run every check on one amendment commit, recording what fails in a.
 * -1 only on out of memory or an unreadable repository. */
int verify__amendment(store *s, const store_commit_info *ci, verify_amendment *a);

#endif
