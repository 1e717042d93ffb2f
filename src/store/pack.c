/* pack.c — the objects of a large commit written as one packfile instead
 * of thousands of loose files.
 *
 * A second handle on the repository gets libgit2's in-memory object store
 * (mempack) in front of its on-disk ones; blobs, trees and the commit are
 * created there, dumped as one pack through the on-disk backend, and only
 * then is the branch moved.  A crash before the move leaves at worst an
 * unreferenced pack, never a branch pointing at a missing object.
 */
#include "store_internal.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <string.h>

#include "codicil/error.h"

int store__pack_open(store *s, store_pack *p)
{
	memset(p, 0, sizeof *p);
	if (git_repository_open(&p->repo, git_repository_path(s->repo)) < 0 ||
	    git_repository_odb(&p->odb, p->repo) < 0 || git_mempack_new(&p->mem) < 0)
		goto fail;
	if (git_odb_add_backend(p->odb, p->mem, 999) < 0) {
		p->mem->free(p->mem);
		p->mem = NULL;
		goto fail;
	}
	return 0;
fail:
	store__git_fail("cannot prepare a pack for the commit");
	store__pack_close(p);
	return -1;
}

int store__pack_write(store_pack *p)
{
	git_buf pack = GIT_BUF_INIT;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats = { 0 };
	int rc = -1;

	if (git_mempack_dump(&pack, p->repo, p->mem) < 0 ||
	    git_odb_write_pack(&wp, p->odb, NULL, NULL) < 0 ||
	    wp->append(wp, pack.ptr, pack.size, &stats) < 0 || wp->commit(wp, &stats) < 0) {
		store__git_fail("cannot write the commit's objects");
		goto out;
	}
	rc = 0;
out:
	if (wp)
		wp->free(wp);
	git_buf_dispose(&pack);
	return rc;
}

void store__pack_close(store_pack *p)
{
	if (p->mem)
		git_mempack_reset(p->mem); /* the odb owns and frees the backend */
	git_odb_free(p->odb);
	git_repository_free(p->repo);
	memset(p, 0, sizeof *p);
}

/* Move HEAD's branch from old (NULL: unborn) to id, as git commit would,
 * refusing if it moved meanwhile. */
int store__move_branch(store *s, const git_oid *old, const git_oid *id, const char *message)
{
	git_reference *head = NULL, *moved = NULL;
	const char *branch;
	char log[256];
	size_t subject = strcspn(message, "\n");
	int rc;

	snprintf(log, sizeof log, "commit%s: %.*s", old ? "" : " (initial)",
		 (int)(subject < 200 ? subject : 200), message);
	if (git_reference_lookup(&head, s->repo, "HEAD") < 0 ||
	    !(branch = git_reference_symbolic_target(head))) {
		git_reference_free(head);
		return store__git_fail("cannot read HEAD");
	}
	rc = old ? git_reference_create_matching(&moved, s->repo, branch, id, 1, old, log)
		 : git_reference_create(&moved, s->repo, branch, id, 0, log);
	git_reference_free(moved);
	git_reference_free(head);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		cd_err_set("the branch moved while codicil was committing; run the command again");
		return -1;
	}
	return rc < 0 ? store__git_fail("cannot move the branch") : 0;
}
