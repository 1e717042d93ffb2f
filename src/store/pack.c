/* pack.c — the objects of a large commit written as one packfile instead
 * of thousands of loose files.
 *
 * A second handle on the repository gets libgit2's in-memory object store
 * (mempack) in front of its on-disk ones; blobs, trees and the commit are
 * created there, dumped as one pack through the on-disk backend, and only
 * then is the branch moved.  A crash before the move leaves at worst an
 * unreferenced pack, never a branch pointing at a missing object.
 *
 * Every such commit adds a pack, and object lookups slow down with their
 * number; past git's gc.autoPackLimit (50) the commit starts `git gc
 * --auto` in the background, as a git command would.
 */
#include "store_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "codicil/error.h"
#include "codicil/hash.h"

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

/* The ids of the objects a commit made, each once. */
typedef struct oid_list {
	git_oid *v;
	size_t n, cap;
} oid_list;

static int oid_list_add(oid_list *l, const git_oid *id)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		git_oid *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			git_error_set_oom();
			return -1;
		}
		l->v = v;
		l->cap = cap;
	}
	git_oid_cpy(&l->v[l->n++], id);
	return 0;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* Sorted, each id once (two new cases may have the same content). */
static void oid_list_unique(oid_list *l)
{
	size_t k = 0;

	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, oid_cmp);
	for (size_t i = 0; i < l->n; i++)
		if (k == 0 || !git_oid_equal(&l->v[k - 1], &l->v[i]))
			git_oid_cpy(&l->v[k++], &l->v[i]);
	l->n = k;
}

/* Every object of tree that base (NULL: none) does not have at the same
 * path: the trees and blobs a commit made.  Unchanged subtrees are never
 * opened, so the cost follows the change, not the repository (libgit2's
 * git_mempack_dump inserts the commit's whole tree, reading every object
 * of a library of a million cases). */
static int collect_new(oid_list *out, git_repository *repo, const git_tree *tree,
		       const git_tree *base)
{
	size_t n = git_tree_entrycount(tree);
	int rc = oid_list_add(out, git_tree_id(tree));

	for (size_t i = 0; rc == 0 && i < n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const git_tree_entry *old = base ? git_tree_entry_byname(base, git_tree_entry_name(e))
						 : NULL;
		git_tree *sub = NULL, *old_sub = NULL;

		if (old && git_oid_equal(git_tree_entry_id(old), git_tree_entry_id(e)))
			continue;
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			rc = oid_list_add(out, git_tree_entry_id(e));
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
			continue; /* a submodule: no object of ours */
		rc = git_tree_lookup(&sub, repo, git_tree_entry_id(e));
		if (rc == 0 && old && git_tree_entry_type(old) == GIT_OBJECT_TREE)
			rc = git_tree_lookup(&old_sub, repo, git_tree_entry_id(old));
		if (rc == 0)
			rc = collect_new(out, repo, sub, old_sub);
		git_tree_free(sub);
		git_tree_free(old_sub);
	}
	return rc;
}

static void put_be32(cd_buf *b, uint32_t v)
{
	unsigned char x[4] = { v >> 24, v >> 16, v >> 8, v };
	cd_buf_append(b, x, 4);
}

/* One object of a pack: its type and size as git's varint header, then
 * the content deflated. */
static int put_object(cd_buf *pack, git_odb *odb, const git_oid *id)
{
	git_odb_object *obj = NULL;
	unsigned char hdr[16];
	size_t size, h = 0;
	uLongf zlen;
	int rc = -1;

	if (git_odb_read(&obj, odb, id) < 0)
		return -1;
	size = git_odb_object_size(obj);
	hdr[h++] = (unsigned char)((git_odb_object_type(obj) << 4) | (size & 15));
	for (size >>= 4; size; size >>= 7) {
		hdr[h - 1] |= 0x80;
		hdr[h++] = size & 0x7f;
	}
	size = git_odb_object_size(obj);
	zlen = compressBound(size);
	if (cd_buf_append(pack, hdr, h) < 0 || cd_buf_grow(pack, zlen) < 0)
		goto out;
	if (compress2((Bytef *)pack->data + pack->len, &zlen, git_odb_object_data(obj), size,
		      Z_DEFAULT_COMPRESSION) != Z_OK) {
		git_error_set_str(GIT_ERROR_ZLIB, "cannot compress an object");
		goto out;
	}
	pack->len += zlen;
	rc = 0;
out:
	git_odb_object_free(obj);
	return rc;
}

/* The pack of the commit id and what it added to its parent's tree base:
 * every object whole, none a delta.  libgit2's packbuilder searches ten
 * deltas for each object, and the trees a commit rewrites grow with the
 * library; git gc finds the deltas later, once, in the background. */
static int build_pack(store_pack *p, const git_oid *id, const git_tree *base, cd_buf *pack)
{
	oid_list ids = { 0 };
	git_commit *c = NULL;
	git_tree *tree = NULL;
	unsigned char sum[CD_SHA1_RAW];
	int rc;

	if ((rc = git_commit_lookup(&c, p->repo, id)) == 0 && (rc = git_commit_tree(&tree, c)) == 0 &&
	    (rc = oid_list_add(&ids, id)) == 0)
		rc = collect_new(&ids, p->repo, tree, base);
	if (rc == 0) {
		oid_list_unique(&ids);
		cd_buf_append(pack, "PACK", 4);
		put_be32(pack, 2);
		put_be32(pack, (uint32_t)ids.n);
		for (size_t i = 0; rc == 0 && i < ids.n; i++)
			rc = put_object(pack, p->odb, &ids.v[i]);
	}
	if (rc == 0) {
		cd_sha1_raw(pack->data, pack->len, sum);
		cd_buf_append(pack, sum, sizeof sum);
	}
	if (rc == 0 && pack->failed) {
		git_error_set_oom();
		rc = -1;
	}
	free(ids.v);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int store__pack_write(store_pack *p, const git_oid *id, const git_tree *base)
{
	cd_buf pack = CD_BUF_INIT;
	git_odb_writepack *wp = NULL;
	git_indexer_progress stats = { 0 };
	int rc = -1;

	if (build_pack(p, id, base, &pack) < 0 || git_odb_write_pack(&wp, p->odb, NULL, NULL) < 0 ||
	    wp->append(wp, pack.data, pack.len, &stats) < 0 || wp->commit(wp, &stats) < 0) {
		store__git_fail("cannot write the commit's objects");
		goto out;
	}
	rc = 0;
out:
	if (wp)
		wp->free(wp);
	cd_buf_clear(&pack);
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

/* How many packfiles the repository has. */
static long count_packs(store *s)
{
	cd_buf dir = CD_BUF_INIT;
	struct dirent *e;
	long n = 0;
	DIR *d;

	cd_buf_printf(&dir, "%sobjects/pack", git_repository_path(s->repo));
	if ((d = opendir(cd_buf_cstr(&dir)))) {
		while ((e = readdir(d))) {
			size_t len = strlen(e->d_name);
			n += len > 5 && !strcmp(e->d_name + len - 5, ".pack");
		}
		closedir(d);
	}
	cd_buf_clear(&dir);
	return n;
}

/* git's own limit, gc.autoPackLimit: 50 unless set; 0 turns it off. */
static long pack_limit(store *s)
{
	git_config *cfg = NULL;
	int32_t v = 50;

	if (git_repository_config_snapshot(&cfg, s->repo) == 0 &&
	    git_config_get_int32(&v, cfg, "gc.autoPackLimit") < 0)
		v = 50;
	git_error_clear();
	git_config_free(cfg);
	return v;
}

void store__pack_housekeeping(store *s)
{
	long limit = pack_limit(s);
	pid_t pid;

	if (limit <= 0 || count_packs(s) <= limit)
		return;
	/* git gc --auto, detached as git detaches it: this command does not
	 * wait, and git's own lock keeps two from running at once */
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		setsid();
		if (fork() == 0) {
			for (int fd = 3; fd < 1024; fd++)
				close(fd); /* no lock or socket of ours lives on in git */
			execlp("git", "git", "-C", store_workdir(s), "gc", "--auto", "--quiet",
			       (char *)NULL);
			_exit(127);
		}
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0); /* the first child only: the gc runs on its own */
}
