/* redline_diff.c — the hunks of a line diff, from libgit2.
 *
 * libgit2 has no word diff; callers that diff tokens write one token id per
 * line and diff those "lines".  Context is zero, so every hunk is exactly a
 * run of removed lines and a run of added lines.
 */
#include "codicil/buf.h"
#include "codicil/error.h"
#include "redline_int.h"

#include <git2.h>
#include <stdlib.h>

int rl_push_hunk(struct rl_hunks *hs, size_t a0, size_t na, size_t b0, size_t nb)
{
	struct rl_hunk *h = cd_grow(hs->h, hs->n, &hs->cap, sizeof *h, 16);
	if (!h) {
		cd_err_set("out of memory while comparing texts");
		hs->failed = 1;
		return -1;
	}
	hs->h = h;
	hs->h[hs->n++] = (struct rl_hunk){ a0, na, b0, nb };
	return 0;
}

/* libgit2 numbers lines from 1; an empty side names the line before it. */
static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *h, void *payload)
{
	struct rl_hunks *hs = payload;
	size_t a0 = (size_t)(h->old_lines ? h->old_start - 1 : h->old_start);
	size_t b0 = (size_t)(h->new_lines ? h->new_start - 1 : h->new_start);

	return rl_push_hunk(hs, hs->base + a0, (size_t)h->old_lines, hs->base + b0,
			    (size_t)h->new_lines);
}

int rl_diff_lines(const char *a, size_t alen, const char *b, size_t blen, struct rl_hunks *hs)
{
	git_diff_options opts;
	int rc;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	opts.flags = GIT_DIFF_FORCE_TEXT;
	hs->failed = 0;
	rc = git_diff_buffers(a, alen, NULL, b, blen, NULL, &opts, NULL, NULL, on_hunk, NULL, hs);
	if (rc < 0 && !hs->failed) {
		const git_error *e = git_error_last();

		cd_err_set("comparing texts failed: %s", e && e->message ? e->message : "libgit2 error");
	}
	return rc < 0 ? -1 : 0;
}
